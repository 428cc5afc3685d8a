/**
 * The report form's answers as the person gives them (the extension saves them in its draft as they are typed, the
 * widget keeps them in its form). Every piece is optional, because answers are half-given by nature; the types are
 * derived from the report schema so that a form can never invent a field or a value the hub would refuse.
 * `reportFromAnswers` turns answers plus safe defaults into a `Report`.
 */
import type { Grounds, Incident, Reporter, Urgency } from '../schema';

type Contact = Reporter['contact'];
type Consents = Reporter['consents'];
type PriorActions = NonNullable<Incident['priorActions']>;

export interface ReporterAnswers extends Partial<Omit<Reporter, 'contact' | 'consents'>> {
  contact?: Partial<Contact>;
  consents?: Partial<Consents>;
}

/** The summary is not here: it is `ReportAnswers.summary` (in the extension, `Draft.summary`, which the popup writes). */
export interface IncidentAnswers extends Partial<Omit<Incident, 'summary' | 'priorActions'>> {
  priorActions?: { reportedToPlatform?: NonNullable<PriorActions['reportedToPlatform']>; policeReference?: string };
  /** Whether the person said they reported it to the platform (the details are asked only after a yes). */
  reportedToPlatform?: boolean;
}

export interface GroundsAnswers {
  explanation?: Grounds['explanation'];
  /** When the person ticked the good-faith statement; absent while it is not ticked. */
  goodFaithAt?: Grounds['goodFaith']['at'];
}

export interface ReportDetails {
  urgency?: Partial<Urgency>;
  reporter?: ReporterAnswers;
  incident?: IncidentAnswers;
  grounds?: GroundsAnswers;
  /** The id of the last step the person reached, so reopening the form returns there. */
  step?: string;
  /**
   * For intimate-image abuse: how the captured pictures go to organisations, as files or only as fingerprints
   * (lib/pdq). Absent means fingerprints, the default for that harm; for any other harm pictures go as files.
   */
  pictures?: 'fingerprint' | 'upload';
}

/** Merges a change into saved answers one section deep, so a step's save never wipes another step's answers. */
export function mergeDetails(current: ReportDetails | undefined, change: ReportDetails): ReportDetails {
  const base = current ?? {};
  return {
    ...base,
    ...change,
    ...(change.urgency ? { urgency: { ...base.urgency, ...change.urgency } } : {}),
    ...(change.reporter ? { reporter: mergeReporter(base.reporter, change.reporter) } : {}),
    ...(change.incident ? { incident: { ...base.incident, ...change.incident } } : {}),
    ...(change.grounds ? { grounds: { ...base.grounds, ...change.grounds } } : {}),
  };
}

function mergeReporter(current: ReporterAnswers | undefined, change: ReporterAnswers): ReporterAnswers {
  const base = current ?? {};
  return {
    ...base,
    ...change,
    ...(change.contact ? { contact: { ...base.contact, ...change.contact } } : {}),
    ...(change.consents ? { consents: { ...base.consents, ...change.consents } } : {}),
  };
}
