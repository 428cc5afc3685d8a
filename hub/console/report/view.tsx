/**
 * The report view, laid out for deciding (issue 19 item 4): what was reported first (the summary, then each captured
 * item with its title, words and context, its pictures held back by the moderator's wellbeing settings until asked
 * for), the decisions and related reports in a side panel on wide screens (one column on narrow ones, content first),
 * the next and previous report of the queue it was opened from, and the audit trail in sentences with people's names.
 * Keyboard shortcuts come from a small script (report-keys.js) and a `?` help overlay; every page works without it.
 *
 * Captured words are rendered as Preact text children, which are escaped, so a post full of markup shows its markup as
 * characters; every reporter-supplied value goes through `<Reported>` (isolated, invisible characters shown: a bidi
 * override cannot reorder what the moderator reads).
 */
import type { ComponentChildren, VNode } from 'preact';
import { ct, ctn, type ConsoleKey } from '../../../lib/i18n/console';
import { Outcome, type Author, type Item, type Report } from '../../../lib/schema';
import type { Moderator } from '../auth/accounts';
import { characteristicLabel, harmLabel, outcomeLabel, platformLabel, statusLabel } from '../shared/labels';
import { ConsolePage, CsrfField, formatTime, Notice, type SessionView } from '../shared/layout';
import { clusterHref, href, referralsHref } from '../shared/links';
import { Reported } from '../shared/reported';
import { CapturedText, SensitiveImage } from '../shared/wellbeing';
import { SealedContact } from '../shared/sealed-contact';
import { visible } from '../../../lib/text/reported';
import type { AuditRow } from '../../domain/audit';
import { personLabel, type Person } from '../../domain/people';
import type { ConsoleQuestion } from '../../domain/questions';
import { QUESTION_MAX } from '../../../lib/schema';
import { TRANSITIONS, type NoteRow } from '../../domain/workflow';
import type { Integrity, ItemIntegrity, LoadedReport, ReportRow } from './load';
import type { RelatedReports } from './ports';
import { CaptureProof } from './proof';
import { auditSentence } from './sentences';

/** A neighbouring post kept for context (the schema names the zod value, not its type). */
type ContextPost = NonNullable<NonNullable<Item['context']>['parent']>;

/** The address of the keyboard shortcuts script (served by routes.tsx under the console's CSP). */
export const KEYS_SCRIPT = `${href.home}/report-keys.js`;

export interface ReportPageProps {
  session: SessionView;
  loaded: LoadedReport;
  notes: NoteRow[];
  /** Questions asked of the reporter, with their answers and the items added with them. */
  questions: ConsoleQuestion[];
  trail: AuditRow[];
  /** Moderators who can be assigned (active accounts). */
  moderators: Moderator[];
  /** Every account by id, disabled ones too: the names in the trail and the assignee. */
  people: ReadonlyMap<string, Person>;
  /** The contact details, when the reporter consented and this moderator asked (and the ask was audited). */
  contactShown: boolean;
  /** A confirmation or a problem from the last form posted (carried by the redirect). */
  flash?: { kind: 'problem' | 'done'; key: ConsoleKey } | undefined;
  /** The query string of the queue page this report was opened from ('' for the queue as it first opens). */
  queue: string;
  related: RelatedReports | undefined;
}

export function ReportPage(props: ReportPageProps): VNode {
  const { loaded, session, flash } = props;
  const row = loaded.row;
  const queueQuery = props.queue || undefined;
  return (
    <ConsolePage title={ct('report.title', { reference: row.reference })} session={session} current="queue" wide scripts={[KEYS_SCRIPT]}>
      {flash && <Notice kind={flash.kind}>{ct(flash.key)}</Notice>}
      <QueueNav reference={row.reference} queue={queueQuery} />
      <div class="report-layout">
        <div class="report-content">
          {loaded.kind === 'erased' ? (
            <section aria-labelledby="erased-heading">
              <h2 id="erased-heading">{ct('erase.trailErased')}</h2>
              <p data-testid="erased">{ct('erase.erasedNotice', { date: formatTime(loaded.row.erasedAt ?? loaded.row.updatedAt) })}</p>
            </section>
          ) : loaded.kind === 'ok' ? (
            <>
              <SummarySection report={loaded.report} urgent={row.urgent} />
              <section aria-labelledby="items-heading" class="lead">
                <h2 id="items-heading">{ct('report.items', { count: loaded.report.items.length })}</h2>
                {loaded.report.items.map((item, index) => (
                  <ItemSection item={item} index={index} integrity={loaded.items[index]} mediaTypes={loaded.mediaTypes} />
                ))}
              </section>
              <IncidentSection report={loaded.report} />
              <ReporterSection report={loaded.report} reference={row.reference} contactShown={props.contactShown} queue={queueQuery} />
              <Questions questions={props.questions} row={row} mediaTypes={loaded.mediaTypes} queue={queueQuery} />
              <SubmissionSection report={loaded.report} />
              <CaptureProof proof={loaded.proof} />
            </>
          ) : (
            <section aria-labelledby="raw-heading">
              <h2 id="raw-heading">{ct('report.unreadable')}</h2>
              <pre class="captured">{visible(JSON.stringify(row.body, null, 2))}</pre>
            </section>
          )}
          {loaded.kind !== 'erased' && <Notes notes={props.notes} reference={row.reference} queue={queueQuery} />}
          <Trail trail={props.trail} people={props.people} />
        </div>
        <div class="report-panel" data-testid="decide-panel">
          <StatusSummary row={row} people={props.people} />
          {loaded.kind !== 'erased' && <Workflow row={row} moderators={props.moderators} people={props.people} queue={queueQuery} />}
          <RelatedPanel reference={row.reference} related={props.related} />
          {loaded.kind !== 'erased' && session.moderator.role === 'admin' && <EraseLink row={row} />}
          <p>
            <button type="button" id="shortcuts-open" class="secondary" hidden aria-haspopup="dialog">
              {ct('keys.open')}
            </button>
          </p>
        </div>
      </div>
      <ShortcutsHelp />
    </ConsolePage>
  );
}

/** The queue's query string carried through a form, so the page it redirects to keeps its next and previous. */
function QueueField({ queue }: { queue: string | undefined }): VNode | null {
  return queue === undefined ? null : <input type="hidden" name="queue" value={queue} />;
}

/**
 * Back to the queue, and the previous and next report in it, in the queue's own order and filters: the links ask the
 * hub (routes.tsx), which finds the neighbour when followed, as the queue is then.
 */
function QueueNav({ reference, queue }: { reference: string; queue: string | undefined }): VNode {
  const carried = queue ? `?queue=${encodeURIComponent(queue)}` : '';
  return (
    <nav class="queue-nav" aria-label={ct('report.queueNav')}>
      <a id="back-to-queue" href={queue ? `${href.queue}?${queue}` : href.queue}>
        {ct('report.backToQueue')}
      </a>
      <a id="previous-report" rel="prev" href={`${href.report(reference)}/previous${carried}`}>
        {ct('report.previous')}
      </a>
      <a id="next-report" rel="next" href={`${href.report(reference)}/next${carried}`}>
        {ct('report.next')}
      </a>
    </nav>
  );
}

/** A list of label/value pairs; values that are absent show "not given" rather than vanishing. */
function Fields({ rows }: { rows: Array<[string, ComponentChildren]> }): VNode {
  return (
    <dl class="fields">
      {rows.map(([label, value]) => (
        <>
          <dt>{label}</dt>
          <dd>{value === undefined || value === null || value === '' ? <span class="absent">{ct('field.notGiven')}</span> : typeof value === 'string' ? <Reported text={value} /> : value}</dd>
        </>
      ))}
    </dl>
  );
}

const yesNo = (value: boolean | undefined): string | undefined => (value === undefined ? undefined : value ? ct('field.yes') : ct('field.no'));
const time = (value: string | Date | undefined): string | undefined => (value ? formatTime(value) : undefined);

/** Captured words: text in a block that keeps line breaks, marked with its language when the capture knew it. */
function Captured({ text, lang }: { text: string | undefined; lang?: string | undefined }): VNode | null {
  if (!text) return null;
  return (
    <blockquote class="captured" lang={lang}>
      <Reported text={text} lines />
    </blockquote>
  );
}

/** What the reporter said happened, and the closed-list facts a decision starts from. */
function SummarySection({ report, urgent }: { report: Report; urgent: boolean }): VNode {
  const { incident, urgency } = report;
  return (
    <section aria-labelledby="summary-heading" class="lead">
      <h2 id="summary-heading">{ct('report.content')}</h2>
      {urgent && <p class="urgent">{ct('report.urgent')}</p>}
      <h3>{ct('incident.summary')}</h3>
      <Captured text={incident.summary} />
      <Fields
        rows={[
          [ct('incident.characteristics'), incident.targetedCharacteristics.map(characteristicLabel).join(', ')],
          [ct('incident.harms'), incident.harmTypes.map(harmLabel).join(', ')],
          [ct('urgency.immediateDanger'), yesNo(urgency.immediateDanger)],
        ]}
      />
    </section>
  );
}

function StatusSummary({ row, people }: { row: ReportRow; people: ReadonlyMap<string, Person> }): VNode {
  const assignee = row.assignedTo ? people.get(row.assignedTo) : undefined;
  return (
    <section aria-labelledby="status-heading">
      <h2 id="status-heading">{ct('report.statusHeading')}</h2>
      <Fields
        rows={[
          [ct('report.status'), <span data-testid="status">{statusLabel(row.status)}</span>],
          [ct('report.outcome'), row.outcome ? outcomeLabel(row.outcome) : undefined],
          [ct('report.assignee'), assignee && personLabel(assignee)],
          [ct('report.publicNote'), row.publicNote ? <span data-testid="public-note"><Reported text={row.publicNote} lines /></span> : undefined],
          [ct('report.received'), time(row.receivedAt)],
          [ct('report.updated'), time(row.updatedAt)],
        ]}
      />
    </section>
  );
}

/**
 * The decisions. "Move to" starts on "Choose…": no status, least of all a final one, is ever preselected, and the
 * form sent without a choice is refused in words (routes.tsx), so a stray Enter changes nothing.
 */
function Workflow({ row, moderators, people, queue }: { row: ReportRow; moderators: Moderator[]; people: ReadonlyMap<string, Person>; queue: string | undefined }): VNode {
  const base = href.report(row.reference);
  const next = TRANSITIONS[row.status];
  return (
    <section aria-labelledby="workflow-heading">
      <h2 id="workflow-heading">{ct('workflow.heading')}</h2>
      {next.length > 0 ? (
        <form method="post" action={`${base}/status`} class="stack" noValidate>
          <CsrfField />
          <QueueField queue={queue} />
          <label for="to">{ct('workflow.moveTo')}</label>
          <select id="to" name="to" required aria-required="true">
            <option value="" selected>
              {ct('workflow.choose')}
            </option>
            {next.map((status) => (
              <option value={status}>{statusLabel(status)}</option>
            ))}
          </select>
          <label for="outcome">{ct('workflow.outcome')}</label>
          <select id="outcome" name="outcome" aria-describedby="outcome-hint">
            <option value="">{ct('workflow.noOutcome')}</option>
            {Outcome.options.map((outcome) => (
              <option value={outcome}>{outcomeLabel(outcome)}</option>
            ))}
          </select>
          <p id="outcome-hint" class="hint">
            {ct('workflow.outcomeHint')}
          </p>
          <button type="submit">{ct('workflow.changeStatus')}</button>
        </form>
      ) : (
        <p>{ct('workflow.closedFinal')}</p>
      )}
      <form method="post" action={`${base}/assign`} class="stack">
        <CsrfField />
        <QueueField queue={queue} />
        <label for="assignee">{ct('workflow.assignTo')}</label>
        <select id="assignee" name="assignee">
          <option value="">{ct('workflow.nobody')}</option>
          {moderators.map((moderator) => (
            <option value={moderator.id} selected={moderator.id === row.assignedTo}>
              {nameAndEmail(people.get(moderator.id) ?? { ...moderator, displayName: null })}
            </option>
          ))}
        </select>
        <button type="submit" class="secondary">{ct('workflow.assign')}</button>
      </form>
      <form method="post" action={`${base}/public-note`} class="stack">
        <CsrfField />
        <QueueField queue={queue} />
        <label for="public-note">{ct('workflow.publicNote')}</label>
        <p id="public-note-hint" class="hint">
          {ct('workflow.publicNoteHint')}
        </p>
        <textarea id="public-note" name="note" rows={3} maxLength={2000} aria-describedby="public-note-hint">
          {row.publicNote ?? ''}
        </textarea>
        <button type="submit" class="secondary">{ct('workflow.savePublicNote')}</button>
      </form>
      <p>
        <a href={referralsHref([row.reference])}>{ct('referral.open')}</a>
      </p>
    </section>
  );
}

/** An assignee as the list shows them: their name and email, or the email alone. */
const nameAndEmail = (person: Pick<Person, 'email' | 'displayName'>): string => (person.displayName ? `${person.displayName} (${person.email})` : person.email);

const WHY: Array<['sameUrl' | 'sameAuthor' | 'sameEvidence', ConsoleKey]> = [
  ['sameUrl', 'related.sameUrl'],
  ['sameAuthor', 'related.sameAuthor'],
  ['sameEvidence', 'related.sameEvidence'],
];

/** At most this many related reports are listed in the panel; the cluster page lists them all. */
const RELATED_SHOWN = 8;

/** Reports about the same page or author or sharing evidence, and the way to the cluster page to act on them together. */
function RelatedPanel({ reference, related }: { reference: string; related: RelatedReports | undefined }): VNode {
  const others = related?.members.filter((member) => !member.isAnchor) ?? [];
  const repeat = related?.sameReporter.length ?? 0;
  return (
    <section aria-labelledby="related-heading" data-testid="related">
      <h2 id="related-heading">{ct('related.heading')}</h2>
      {others.length === 0 ? (
        <p>{ct('related.none')}</p>
      ) : (
        <>
          <ul class="related">
            {others.slice(0, RELATED_SHOWN).map((member) => (
              <li>
                <a href={href.report(member.reference)}>{member.reference}</a>
                {member.urgent && (
                  <>
                    {' '}
                    <strong class="urgent">{ct('report.urgent')}</strong>
                  </>
                )}{' '}
                · {statusLabel(member.status)} ·{' '}
                {WHY.filter(([key]) => member[key])
                  .map(([, label]) => ct(label))
                  .join(', ')}
              </li>
            ))}
          </ul>
          {(others.length > RELATED_SHOWN || related?.capped) && <p class="hint">{ct('related.more', { count: RELATED_SHOWN })}</p>}
          <p>
            <a href={clusterHref(reference)}>{ct('related.openCluster')}</a>
          </p>
        </>
      )}
      {repeat > 0 && <p data-testid="repeat-target">{ctn('related.sameReporter', repeat)}</p>}
    </section>
  );
}

function ReporterSection({ report, reference, contactShown, queue }: { report: Report; reference: string; contactShown: boolean; queue: string | undefined }): VNode {
  const { reporter } = report;
  const consents = reporter.consents;
  return (
    <section aria-labelledby="reporter-heading">
      <h2 id="reporter-heading">{ct('reporter.heading')}</h2>
      <Fields
        rows={[
          [ct('reporter.role'), ct(`reporter.role.${reporter.role}`)],
          [ct('reporter.anonymous'), yesNo(reporter.anonymous)],
          [ct('reporter.channel'), ct(`reporter.channel.${reporter.contact.channel}`)],
          [ct('reporter.language'), reporter.contact.language],
          [ct('reporter.safeTimes'), reporter.contact.safeTimes],
          [ct('reporter.ageBand'), reporter.ageBand],
          [ct('reporter.accessNeeds'), reporter.accessNeeds ?? (reporter.sealed ? ct('sealed.accessNeeds') : undefined)],
          [ct('reporter.wantsSupport'), yesNo(reporter.wantsSupport)],
          [ct('reporter.consentPolice'), yesNo(consents.police)],
          [ct('reporter.consentPlatform'), yesNo(consents.platform)],
          [ct('reporter.consentShareContact'), yesNo(consents.shareContact)],
          [ct('reporter.consentSupport'), yesNo(consents.supportReferral)],
        ]}
      />
      <h3>{ct('reporter.contactHeading')}</h3>
      <ContactDetails report={report} reference={reference} shown={contactShown} queue={queue} />
    </section>
  );
}

function ContactDetails({ report, reference, shown, queue }: { report: Report; reference: string; shown: boolean; queue: string | undefined }): VNode {
  const { reporter } = report;
  if (reporter.anonymous) return <p>{ct('reporter.anonymousNoContact')}</p>;
  if (!reporter.consents.shareContact) return <p data-testid="contact-withheld">{ct('reporter.noConsent')}</p>;
  // Sealed to the organisation (issue 23): opened in the moderator's own browser, on a page of its own.
  if (reporter.sealed) return <SealedContact reference={reference} sealed={reporter.sealed} />;
  if (!shown) {
    return (
      <form method="post" action={`${href.report(reference)}/contact`}>
        <CsrfField />
        <QueueField queue={queue} />
        <p class="hint">{ct('reporter.showHint')}</p>
        <button type="submit">{ct('reporter.show')}</button>
      </form>
    );
  }
  return (
    <div data-testid="contact">
      <Fields
        rows={[
          [ct('reporter.name'), reporter.name],
          [ct('reporter.email'), reporter.email],
          [ct('reporter.phone'), reporter.phone],
        ]}
      />
    </div>
  );
}

/** The rest of what the reporter told: urgency, dates, impact, what they did before, their grounds. */
function IncidentSection({ report }: { report: Report }): VNode {
  const { incident, urgency, grounds } = report;
  const prior = incident.priorActions;
  return (
    <section aria-labelledby="incident-heading">
      <h2 id="incident-heading">{ct('report.details')}</h2>
      <Fields
        rows={[
          [ct('urgency.perpetratorIdentityKnown'), yesNo(urgency.perpetratorIdentityKnown)],
          [ct('urgency.relatesToFutureEvent'), yesNo(urgency.relatesToFutureEvent)],
          [ct('incident.characteristicOther'), incident.targetedCharacteristicOther],
          [ct('incident.harmOther'), incident.harmTypeOther],
          [ct('incident.firstSeen'), time(incident.firstSeenAt)],
          [ct('incident.ongoing'), yesNo(incident.ongoing)],
          [ct('incident.impact'), incident.impact && <Captured text={incident.impact} />],
          [ct('incident.reportedToPlatform'), time(prior?.reportedToPlatform?.at)],
          [ct('incident.platformReference'), prior?.reportedToPlatform?.reference],
          [ct('incident.platformResponse'), prior?.reportedToPlatform?.response && <Captured text={prior.reportedToPlatform.response} />],
          [ct('incident.policeReference'), prior?.policeReference],
          [ct('grounds.explanation'), grounds && <Captured text={grounds.explanation} />],
          [ct('grounds.goodFaith'), grounds && ct('grounds.goodFaithAt', { at: formatTime(grounds.goodFaith.at) })],
        ]}
      />
    </section>
  );
}

function authorText(author: Author | undefined): string | undefined {
  if (!author) return undefined;
  return [author.displayName, author.handle, author.profileUrl, author.platformId && `id ${author.platformId}`].filter(Boolean).join(' · ');
}

const INTEGRITY_KEY: Record<Integrity, ConsoleKey> = {
  verified: 'integrity.verified',
  failed: 'integrity.failed',
  not_signed: 'integrity.notSigned',
};

function ItemSection({
  item,
  index,
  integrity,
  mediaTypes,
  idPrefix = 'item',
}: {
  item: Item;
  index: number;
  integrity: ItemIntegrity | undefined;
  mediaTypes: Map<string, string>;
  /** Unique per list on the page: items added with an answer have their own. */
  idPrefix?: string;
}): VNode {
  const id = `${idPrefix}-${index}`;
  return (
    <article aria-labelledby={id} class="item">
      <h3 id={id}>{ct('item.heading', { number: index + 1, platform: platformLabel(item.platform), kind: ct(`item.kind.${item.kind}`) })}</h3>
      {integrity && (
        <p class={`integrity ${integrity.integrity}`} data-testid="integrity">
          {ct(INTEGRITY_KEY[integrity.integrity])}
        </p>
      )}
      <h4>{ct('item.text')}</h4>
      {/* The words captured from the platform, held back together (title, text, context) when the moderator hides them. */}
      {item.title || item.text || item.context ? (
        <CapturedText>
          {item.title && (
            <p class="item-title" data-testid="item-title" lang={item.lang}>
              <span class="label">{ct('report.itemTitle')}:</span> <Reported text={item.title} />
            </p>
          )}
          {item.text ? <Captured text={item.text} lang={item.lang} /> : <p class="absent">{ct('field.notGiven')}</p>}
          {item.context && <ContextPosts parent={item.context.parent} thread={item.context.thread ?? []} lang={item.lang} />}
        </CapturedText>
      ) : (
        <p class="absent">{ct('field.notGiven')}</p>
      )}
      <Fields
        rows={[
          [ct('item.author'), authorText(item.author)],
          [ct('item.postedAt'), time(item.postedAt)],
          [ct('item.url'), <code><Reported text={item.url} /></code>],
          [ct('item.canonicalUrl'), item.canonicalUrl && <code><Reported text={item.canonicalUrl} /></code>],
          [ct('item.permalink'), item.permalink && <code><Reported text={item.permalink} /></code>],
          [ct('item.pageTitle'), item.pageTitle],
          [ct('item.capturedAt'), time(item.capturedAt)],
          [ct('item.captureMethod'), ct(`item.method.${item.captureMethod}`)],
        ]}
      />
      <h4>{ct('item.evidence', { count: item.evidence.length })}</h4>
      <ul class="evidence">
        {item.evidence.map((evidence, at) => (
          <li>
            <EvidenceView
              sha256={evidence.sha256}
              mediaType={mediaTypes.get(evidence.sha256) ?? evidence.mediaType}
              kind={ct(`evidence.kind.${evidence.kind}`)}
              id={`${id}-evidence-${at}`}
              ok={integrity?.evidenceOk[at]}
            />
          </li>
        ))}
      </ul>
    </article>
  );
}

function ContextPosts({ parent, thread, lang }: { parent: ContextPost | undefined; thread: ContextPost[]; lang: string | undefined }): VNode {
  const post = (entry: ContextPost) => (
    <li>
      <p class="meta">
        <Reported text={[authorText(entry.author), time(entry.postedAt)].filter(Boolean).join(' · ')} />
      </p>
      <Captured text={entry.text} lang={lang} />
      {entry.permalink && (
        <code>
          <Reported text={entry.permalink} />
        </code>
      )}
    </li>
  );
  return (
    <>
      {parent && (
        <>
          <h4>{ct('item.parent')}</h4>
          <ul class="thread">{post(parent)}</ul>
        </>
      )}
      {thread.length > 0 && (
        <>
          <h4>{ct('item.thread', { count: thread.length })}</h4>
          <ul class="thread">{thread.map(post)}</ul>
        </>
      )}
    </>
  );
}

/**
 * One piece of evidence. Pictures are held back (blurred, grey) as the moderator's wellbeing settings say, until the
 * "show" checkbox lifts that through CSS alone. HTML snapshots are never rendered: only offered as a download of their text.
 */
function EvidenceView({ sha256, mediaType, kind, id, ok }: { sha256: string; mediaType: string; kind: string; id: string; ok: boolean | undefined }): VNode {
  const hashState = ok === undefined ? null : <span class={ok ? 'ok' : 'bad'}>{ok ? ct('evidence.hashOk') : ct('evidence.hashBad')}</span>;
  const meta = (
    <p class="meta">
      {kind} · <code>{sha256}</code> · {hashState}
    </p>
  );
  if (mediaType === 'text/html') {
    return (
      <div>
        {meta}
        <a href={href.evidence(sha256)} download={`${sha256}.html.txt`}>
          {ct('evidence.downloadSnapshot')}
        </a>
      </div>
    );
  }
  return (
    <div>
      {meta}
      <SensitiveImage src={href.evidence(sha256)} alt={ct('evidence.alt', { kind })} id={id} />
    </div>
  );
}

function SubmissionSection({ report }: { report: Report }): VNode {
  return (
    <section aria-labelledby="submission-heading">
      <h2 id="submission-heading">{ct('submission.heading')}</h2>
      <Fields
        rows={[
          [ct('submission.id'), <code>{report.id}</code>],
          [ct('submission.createdAt'), time(report.createdAt)],
          [ct('submission.client'), `${report.client.app} ${report.client.version}`],
          [ct('submission.signed'), yesNo(report.publicKey !== undefined)],
        ]}
      />
    </section>
  );
}

/**
 * The questions asked of the reporter, oldest first, each with its answer and the items added with it (shown as the
 * report's own items are: words as text, pictures blurred until asked for), and the form to ask another.
 */
function Questions({ questions, row, mediaTypes, queue }: { questions: ConsoleQuestion[]; row: ReportRow; mediaTypes: Map<string, string>; queue: string | undefined }): VNode {
  return (
    <section aria-labelledby="questions-heading" data-testid="questions">
      <h2 id="questions-heading">{ct('questions.heading')}</h2>
      <p class="hint">{ct('questions.hint')}</p>
      {questions.length === 0 ? (
        <p>{ct('questions.none')}</p>
      ) : (
        <ol class="notes">
          {questions.map((question, at) => (
            <li data-testid="question">
              <p class="meta">{ct('questions.asked', { who: question.askedBy ?? ct('questions.askedByGone'), when: formatTime(question.askedAt) })}</p>
              <p class="captured">
                <Reported text={question.text} lines />
              </p>
              {question.answer ? (
                <div data-testid="answer">
                  <p class="meta">{ct('questions.answered', { when: formatTime(question.answer.answeredAt) })}</p>
                  <blockquote class="captured">
                    <Reported text={question.answer.text} lines />
                  </blockquote>
                  {question.answer.items.length > 0 && (
                    <>
                      <h3>{ct('questions.addedItems', { count: question.answer.items.length })}</h3>
                      {question.answer.items.map((item, index) => (
                        <ItemSection item={item} index={index} integrity={undefined} mediaTypes={mediaTypes} idPrefix={`answer-${at}-item`} />
                      ))}
                    </>
                  )}
                </div>
              ) : (
                <p class="absent">{ct('questions.waiting')}</p>
              )}
            </li>
          ))}
        </ol>
      )}
      {row.status === 'closed' ? (
        <p>{ct('questions.closed')}</p>
      ) : (
        <form method="post" action={`${href.report(row.reference)}/questions`} class="stack">
          <CsrfField />
          <QueueField queue={queue} />
          <label for="question">{ct('questions.ask')}</label>
          <p class="hint" id="question-hint">{ct('questions.askHint')}</p>
          <textarea id="question" name="text" rows={3} maxLength={QUESTION_MAX} required aria-describedby="question-hint" />
          <button type="submit">{ct('questions.send')}</button>
        </form>
      )}
    </section>
  );
}

function Notes({ notes, reference, queue }: { notes: NoteRow[]; reference: string; queue: string | undefined }): VNode {
  return (
    <section aria-labelledby="notes-heading">
      <h2 id="notes-heading">{ct('notes.heading')}</h2>
      <p class="hint">{ct('notes.hint')}</p>
      {notes.length === 0 ? (
        <p>{ct('notes.none')}</p>
      ) : (
        <ul class="notes">
          {notes.map((note) => (
            <li>
              <p class="meta">
                {note.authorEmail} · {formatTime(note.createdAt)}
              </p>
              <p class="captured">
                <Reported text={note.body} lines />
              </p>
            </li>
          ))}
        </ul>
      )}
      <form method="post" action={`${href.report(reference)}/notes`} class="stack">
        <CsrfField />
        <QueueField queue={queue} />
        <label for="note">{ct('notes.add')}</label>
        <textarea id="note" name="body" rows={3} maxLength={10000} required />
        <button type="submit">{ct('notes.save')}</button>
      </form>
    </section>
  );
}

/** For admins: the way to the erase page (erasure is asked for and confirmed there), or why it is not offered yet. */
function EraseLink({ row }: { row: ReportRow }): VNode {
  return (
    <section aria-labelledby="erase-heading">
      <h2 id="erase-heading">{ct('erase.heading')}</h2>
      {row.status === 'closed' ? (
        <p>
          <a href={`${href.report(row.reference)}/erase`}>{ct('erase.open')}</a>
        </p>
      ) : (
        <p>{ct('erase.onlyClosed')}</p>
      )}
    </section>
  );
}

/** The audit trail, oldest first, each entry a sentence with people's names (sentences.ts), never JSON or ids. */
function Trail({ trail, people }: { trail: AuditRow[]; people: ReadonlyMap<string, Person> }): VNode {
  return (
    <section aria-labelledby="trail-heading">
      <h2 id="trail-heading">{ct('trail.heading')}</h2>
      <ol class="trail-sentences">
        {trail.map((entry) => (
          <li data-testid="audit-row">
            <span class="meta-inline">{formatTime(entry.at)}</span> {auditSentence(entry, people)}
            {entry.erased && <span class="absent"> ({ct('erase.trailErased')})</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}

const SHORTCUTS: Array<[string, ConsoleKey]> = [
  ['j', 'keys.next'],
  ['k', 'keys.previous'],
  ['s', 'keys.status'],
  ['a', 'keys.assign'],
  ['c', 'keys.note'],
  ['m', 'keys.media'],
  ['t', 'keys.text'],
  ['u', 'keys.queue'],
  ['?', 'keys.help'],
  ['Esc', 'keys.escape'],
];

/** The `?` overlay: a closed `<dialog>` the script opens; it closes itself with Esc or its button (no script needed). */
function ShortcutsHelp(): VNode {
  return (
    <dialog id="shortcuts" aria-labelledby="shortcuts-heading" class="keys">
      <h2 id="shortcuts-heading">{ct('keys.title')}</h2>
      <p>{ct('keys.intro')}</p>
      <dl>
        {SHORTCUTS.map(([key, label]) => (
          <>
            <dt>
              <kbd>{key}</kbd>
            </dt>
            <dd>{ct(label)}</dd>
          </>
        ))}
      </dl>
      <form method="dialog">
        <button type="submit">{ct('keys.close')}</button>
      </form>
    </dialog>
  );
}
