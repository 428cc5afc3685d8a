/**
 * Building the report from what the person answered, for every product that sends one: the extension (from its
 * saved draft) and the widget (from its form) both call `reportFromAnswers`, so a report means the same from either.
 */
import { SCHEMA_VERSION, type Grounds, type Incident, type Item, type Report, type Reporter, type Urgency } from '../schema';
import type { GroundsAnswers, IncidentAnswers, ReportDetails, ReporterAnswers } from './details';

/** The software that made the report, as it names itself to the hub. */
export interface ClientInfo {
  app: string;
  version: string;
}

/** What a report is built from: the form's answers and the items, with the report's id and when it was begun. */
export interface ReportAnswers {
  /** The report's id: also the idempotency key, so a resend can never create a second report. */
  id: string;
  createdAt: string;
  /** What happened, in the person's words: the one required answer. */
  summary: string;
  /** Every other answer; absent or partial when the person answered little, and then the safe defaults apply. */
  details?: ReportDetails | undefined;
  items: Item[];
}

/**
 * The report these answers make. Whatever the person did not answer takes the safest default: an anonymous witness
 * report that consents to nothing beyond the receiving organisation reading it, not marked urgent. Empty text counts
 * as not answered, and contact details are dropped from an anonymous report rather than sent.
 */
export function reportFromAnswers(answers: ReportAnswers, client: ClientInfo): Report {
  const details: ReportDetails = answers.details ?? {};
  const grounds = groundsFrom(details.grounds);
  return {
    id: answers.id,
    schemaVersion: SCHEMA_VERSION,
    createdAt: answers.createdAt,
    client,
    reporter: reporterFrom(details.reporter ?? {}),
    urgency: urgencyFrom(details.urgency ?? {}),
    incident: incidentFrom(answers.summary, details.incident ?? {}),
    items: answers.items,
    ...(grounds ? { grounds } : {}),
  };
}

function urgencyFrom(answers: Partial<Urgency>): Urgency {
  return {
    immediateDanger: answers.immediateDanger ?? false,
    perpetratorIdentityKnown: answers.perpetratorIdentityKnown ?? false,
    relatesToFutureEvent: answers.relatesToFutureEvent ?? false,
  };
}

/** Trimmed text, or nothing when blank: the schema treats an empty string as an answer, the person does not. */
export function text(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** Spreads `{key: value}` only when the value is present, as `exactOptionalPropertyTypes`-style reports want. */
function some<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** Whether these answers make an anonymous report: unless the person chose otherwise, it is. */
export function answersAnonymous(answers: Pick<ReporterAnswers, 'anonymous'> | undefined): boolean {
  return answers?.anonymous ?? true;
}

function reporterFrom(answers: ReporterAnswers): Reporter {
  const anonymous = answersAnonymous(answers);
  const consents = {
    police: answers.consents?.police ?? false,
    platform: answers.consents?.platform ?? false,
    shareContact: !anonymous && (answers.consents?.shareContact ?? false),
    supportReferral: answers.consents?.supportReferral ?? false,
  };
  const language = text(answers.contact?.language);
  const base = {
    role: answers.role ?? 'witness',
    anonymous,
    ...some('ageBand', answers.ageBand),
    ...some('accessNeeds', text(answers.accessNeeds)),
    consents,
    wantsSupport: answers.wantsSupport ?? false,
  };
  if (anonymous) return { ...base, contact: { channel: 'none', ...some('language', language) } };
  return {
    ...base,
    ...some('name', text(answers.name)),
    ...some('email', text(answers.email)),
    ...some('phone', text(answers.phone)),
    contact: {
      channel: answers.contact?.channel ?? 'none',
      ...some('safeTimes', text(answers.contact?.safeTimes)),
      ...some('language', language),
    },
  };
}

function incidentFrom(summary: string, answers: IncidentAnswers): Incident {
  const characteristics = answers.targetedCharacteristics ?? [];
  const harms = answers.harmTypes ?? [];
  const priorActions = priorActionsFrom(answers);
  return {
    summary: summary.trim(),
    targetedCharacteristics: characteristics,
    ...some('targetedCharacteristicOther', characteristics.includes('other') ? text(answers.targetedCharacteristicOther) : undefined),
    harmTypes: harms,
    ...some('harmTypeOther', harms.includes('other') ? text(answers.harmTypeOther) : undefined),
    ...some('firstSeenAt', answers.firstSeenAt),
    ongoing: answers.ongoing ?? false,
    ...some('impact', text(answers.impact)),
    ...some('priorActions', priorActions),
  };
}

function priorActionsFrom(answers: IncidentAnswers): Incident['priorActions'] {
  const platform = answers.reportedToPlatform ? answers.priorActions?.reportedToPlatform ?? {} : undefined;
  const reportedToPlatform = platform && {
    ...some('at', platform.at),
    ...some('reference', text(platform.reference)),
    ...some('response', text(platform.response)),
  };
  const policeReference = text(answers.priorActions?.policeReference);
  if (!reportedToPlatform && !policeReference) return undefined;
  return { ...some('reportedToPlatform', reportedToPlatform), ...some('policeReference', policeReference) };
}

function groundsFrom(answers: GroundsAnswers | undefined): Grounds | undefined {
  const explanation = text(answers?.explanation);
  if (!explanation || !answers?.goodFaithAt) return undefined;
  return { explanation, goodFaith: { accepted: true, at: answers.goodFaithAt } };
}
