/**
 * Referring a report or a cluster: `/console/referrals?refs=OHR-…,OHR-…` (linked from the report view and from a
 * cluster) shows what each destination may be told, and offers
 * - "Refer to platform (DSA notice)": POST → the notice is built and recorded in the audit log (one row per report:
 *   who, when, the SHA-256 of the notice's JSON), then 303 to a page showing it as text with a JSON download. That page
 *   rebuilds the notice from the recorded time and moderator, so what is shown is exactly what was recorded;
 * - "Police case file": POST → the ZIP is built, recorded (its SHA-256) and downloaded in the same response. Where a
 *   reporter sealed contact details they agreed to share, the form offers to add them: then add-contact.ts, in the
 *   moderator's browser, asks for the file with `sealed=add`, opens the details with the organisation's key, adds them,
 *   and POSTs the final file's SHA-256 to `/referrals/case-file/contact` (recorded per report) before saving it;
 * - "Set status to referred": through the workflow's own status steps, in one transaction for the whole set.
 * Moderators only; every POST carries the CSRF token.
 */
import { Hono, type Context } from 'hono';
import { etag } from 'hono/etag';
import type { VNode } from 'preact';
import { z } from 'zod';
import { ct, ctn, type ConsoleKey } from '../../../lib/i18n/console';
import { PATHS, Receipt, type ReportStatus } from '../../../lib/schema';
import { sha256Hex } from '../../hash';
import type { Queryable } from '../../db';
import { requireCsrf, requireModerator, sessionOf, type ConsoleApp, type ConsoleDeps, type ConsoleEnv } from '../auth/guard';
import { browserBundle } from '../shared/browser-bundle';
import { ownScripts } from '../shared/csp';
import { ConsolePage, CsrfField, formatTime, MessagePage, Notice, render, type SessionView } from '../shared/layout';
import { CONSOLE_BASE, href, referralsHref } from '../shared/links';
import { outcomeLabel, statusLabel } from '../shared/labels';
import { appendAudit, AuditAction } from '../../domain/audit';
import { ownAccessOf, type OwnAccess } from '../../domain/key-access';
import { pathTo, steps } from '../../domain/workflow';
import { standsAlone } from '../../domain/counted';
import { CONTACT_SCRIPT, ContactChoice, sealedToAdd } from './contact-choice';
import { buildCaseFile, canAddSealedContact } from './case-file';
import { GENERATED_AT_HEADER } from './case-zip';
import { AuditTable } from './case-summary';
import { buildDsaNotice, noticeText, type DsaNotice } from './dsa-notice';
import { loadAudit, loadEvidence, loadProof, loadReports, type AuditEntry, type HeldReport } from './sources';

/** A cluster rarely holds more; the cap keeps one request's work bounded. */
export const MAX_REFERRAL_REPORTS = 100;

export const REFERRAL_ACTIONS = {
  notice: AuditAction.referralNotice,
  caseFile: AuditAction.referralCaseFile,
  caseFileContact: AuditAction.referralCaseFileContact,
} as const;

const base = href.referrals;
const noticeHref = (references: readonly string[], at: string, json = false) =>
  `${base}/dsa-notice${json ? '.json' : ''}?refs=${references.join(',')}&at=${encodeURIComponent(at)}`;

const References = z
  .string()
  .transform((value) => [...new Set(value.split(',').map((part) => part.trim()))])
  .pipe(z.array(Receipt.shape.reference).min(1).max(MAX_REFERRAL_REPORTS));
const RefsForm = z.object({ refs: References });
const CaseFileFlags = z.object({ sealed: z.literal('add').optional() });
const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);
/** What the browser sends once it has added the opened contact details: the reports, its file's and the hub's file's SHA-256. */
export const ContactForm = z.strictObject({ csrf: z.string(), refs: References, sha256: Sha256, baseSha256: Sha256 });
const NoticeQuery = z.object({ refs: References, at: z.iso.datetime() });

const FLASH: Record<string, { kind: 'problem' | 'done'; key: ConsoleKey }> = {
  referred: { kind: 'done', key: 'referral.flash.referred' },
  no_platform_consent: { kind: 'problem', key: 'referral.flash.noPlatformConsent' },
  no_police_consent: { kind: 'problem', key: 'referral.flash.noPoliceConsent' },
  not_allowed: { kind: 'problem', key: 'referral.flash.notAllowed' },
  withdrawn: { kind: 'problem', key: 'referral.flash.withdrawn' },
};

/** How a report reaches `referred` through the workflow's transitions from where it is now (none: it cannot, or is there). */
const pathToReferred = (status: ReportStatus): ReportStatus[] => pathTo(status, 'referred');

class NotAllowed extends Error {}

/** A withdrawn report, or one closed as a duplicate (its original is referred instead), is sent nowhere. */
const notWithdrawn = standsAlone;

async function recordReferral(tx: Queryable, actorId: string, action: (typeof REFERRAL_ACTIONS)[keyof typeof REFERRAL_ACTIONS], references: readonly string[], after: Record<string, unknown>) {
  for (const reference of references) await appendAudit(tx, { actorId, action, reference, after: { ...after, references } });
}

const noticeJson = (notice: DsaNotice) => `${JSON.stringify(notice, null, 2)}\n`;

export function referralsRoutes(deps: ConsoleDeps): ConsoleApp {
  const routes = new Hono<ConsoleEnv>();
  const { db, config } = deps;
  const now = deps.now ?? (() => new Date());
  const signedIn = requireModerator(deps);
  const csrf = requireCsrf(deps);

  const held = async (refs: string | undefined) => {
    const parsed = References.safeParse(refs ?? '');
    return parsed.success ? loadReports(db, parsed.data) : [];
  };
  /** The reports a POST names, without those withdrawn or closed as duplicates: they are sent nowhere. */
  const referable = async (c: Context<ConsoleEnv>) => {
    const form = RefsForm.safeParse(await c.req.parseBody());
    const reports = form.success ? await loadReports(db, form.data.refs) : [];
    return { reports, kept: reports.filter(notWithdrawn) };
  };
  const back = (c: Context, reports: readonly HeldReport[], kind: 'done' | 'problem', word: string) =>
    c.redirect(`${referralsHref(reports.map((report) => report.reference))}&${kind}=${word}`, 303);

  // The case-file form's script calls the hub back (the case file, then its record), so the page allows `connect-src 'self'`.
  routes.get('/referrals', signedIn, ownScripts({ fetchesOwnOrigin: true }), async (c) => {
    const reports = await held(c.req.query('refs'));
    if (reports.length === 0) return notFound(c);
    const history = (await loadAudit(db, reports.map((report) => report.reference))).filter((entry) => entry.action.startsWith('referral.'));
    const flash = FLASH[c.req.query('done') ?? c.req.query('problem') ?? ''];
    // The moderator's own key and grants, where sealed details may be added: their passphrase may open them.
    const access = sealedToAdd(reports.filter(notWithdrawn)).length > 0 ? ((await ownAccessOf(db, c.get('moderator').id)) ?? null) : undefined;
    return render(c, <ReferralPage session={sessionOf(c)} reports={reports} history={history} flash={flash} access={access} />);
  });

  routes.post('/referrals/dsa-notice', signedIn, csrf, async (c) => {
    const { reports: named, kept: reports } = await referable(c);
    if (named.length === 0) return notFound(c);
    if (reports.length === 0) return back(c, named, 'problem', 'withdrawn');
    const moderator = c.get('moderator');
    const generatedAt = now().toISOString();
    const result = buildDsaNotice(reports, { organisation: config.name, email: moderator.email }, generatedAt);
    if (!result.ok) return back(c, reports, 'problem', 'no_platform_consent');
    const sha256 = await sha256Hex(noticeJson(result.notice));
    await db.transaction((tx) => recordReferral(tx, moderator.id, REFERRAL_ACTIONS.notice, result.notice.references, { generatedAt, sha256, withoutConsent: result.withoutConsent }));
    return c.redirect(noticeHref(result.notice.references, generatedAt), 303);
  });

  /** The notice recorded at `at` for these reports, rebuilt as it was: by the moderator who produced it. */
  const recordedNotice = async (c: Context<ConsoleEnv>) => {
    const query = NoticeQuery.safeParse({ refs: c.req.query('refs'), at: c.req.query('at') });
    if (!query.success) return undefined;
    const record = (await loadAudit(db, query.data.refs)).find(
      (entry) => entry.action === REFERRAL_ACTIONS.notice && recordedAt(entry) === query.data.at,
    );
    if (!record?.actor) return undefined;
    const reports = await loadReports(db, query.data.refs);
    const result = buildDsaNotice(reports, { organisation: config.name, email: record.actor }, query.data.at);
    return result.ok ? { notice: result.notice, record, reports } : undefined;
  };

  routes.get('/referrals/dsa-notice', signedIn, async (c) => {
    const found = await recordedNotice(c);
    if (!found) return notFound(c);
    const sha256 = await sha256Hex(noticeJson(found.notice));
    return render(c, <NoticePage session={sessionOf(c)} {...found} sha256={sha256} />);
  });

  routes.get('/referrals/dsa-notice.json', signedIn, async (c) => {
    const found = await recordedNotice(c);
    if (!found) return notFound(c);
    return download(c, noticeJson(found.notice), 'application/json; charset=utf-8', `dsa-notice-${fileStem(found.notice.references, found.notice.generatedAt)}.json`);
  });

  routes.post('/referrals/case-file', signedIn, csrf, async (c) => {
    const { reports: named, kept: reports } = await referable(c);
    if (named.length === 0) return notFound(c);
    if (reports.length === 0) return back(c, named, 'problem', 'withdrawn');
    const references = reports.map((report) => report.reference);
    const generatedAt = now().toISOString();
    const [evidence, audit, proof] = await Promise.all([loadEvidence(db, reports), loadAudit(db, references), loadProof(db, config.name, references)]);
    const keysUrl = `${deps.origin?.() ?? new URL(c.req.url).origin}${PATHS.discovery}`;
    // `sealed=add` comes only from the page's script, which adds the opened details before the file is saved.
    const adding = CaseFileFlags.safeParse(await c.req.parseBody()).data?.sealed === 'add';
    const addSealedContact = new Set(adding ? reports.filter((held) => canAddSealedContact(held.report)).map((held) => held.reference) : []);
    const result = await buildCaseFile({ organisation: config.name, generatedAt, reports, evidence, audit, proof, keysUrl, addSealedContact });
    if (!result.ok) return back(c, reports, 'problem', 'no_police_consent');
    await db.transaction((tx) =>
      recordReferral(tx, c.get('moderator').id, REFERRAL_ACTIONS.caseFile, result.references, {
        generatedAt,
        sha256: result.sha256,
        files: result.files.length,
        withoutConsent: result.withoutConsent,
        ...(result.sealedAdded.length > 0 ? { sealedAdded: result.sealedAdded } : {}),
      }),
    );
    c.header(GENERATED_AT_HEADER, generatedAt);
    return download(c, result.bytes, 'application/zip', `case-file-${fileStem(result.references, generatedAt)}.zip`);
  });

  /**
   * The browser's record of a case file it completed with opened contact details: 204 once one audit row per report
   * is written, and only then does the browser save the file. Each report must have sealed details its reporter agreed
   * to share, and this moderator's case file `baseSha256` must be the hub's file that said they would be added. Only
   * hashes come in; the details never do.
   */
  routes.post('/referrals/case-file/contact', signedIn, csrf, async (c) => {
    const form = ContactForm.safeParse(await c.req.parseBody());
    if (!form.success) return c.text(ct('referral.contact.refused'), 400);
    const { refs, sha256, baseSha256 } = form.data;
    const reports = (await loadReports(db, refs)).filter(notWithdrawn);
    if (reports.length !== refs.length || !reports.every((held) => canAddSealedContact(held.report)) || sha256 === baseSha256) {
      return c.text(ct('referral.contact.refused'), 409);
    }
    const moderator = c.get('moderator');
    const base = (await loadAudit(db, refs)).filter((entry) => entry.action === REFERRAL_ACTIONS.caseFile && entry.actor === moderator.email && madeToAdd(entry, baseSha256));
    const generatedAt = base[0] ? recordedAt(base[0]) : undefined;
    if (!generatedAt || !refs.every((reference) => base.some((entry) => entry.reference === reference))) return c.text(ct('referral.contact.refused'), 409);
    await db.transaction((tx) => recordReferral(tx, moderator.id, REFERRAL_ACTIONS.caseFileContact, refs, { sha256, baseSha256, generatedAt }));
    return c.body(null, 204);
  });

  // The case-file form's script, bundled like the sealed-contact page's (fflate, the key unlocking, HPKE, zod).
  routes.get(CONSOLE_SCRIPT_PATH, etag(), async (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.body(await browserBundle(new URL('./add-contact.ts', import.meta.url)), 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
  });

  routes.post('/referrals/referred', signedIn, csrf, async (c) => {
    const { reports: named, kept: reports } = await referable(c);
    if (named.length === 0) return notFound(c);
    if (reports.length === 0) return back(c, named, 'problem', 'withdrawn');
    const actorId = c.get('moderator').id;
    try {
      await db.transaction(async (tx) => {
        for (const report of reports) {
          for (const to of pathToReferred(report.status)) {
            const result = await steps.changeStatus(tx, { reference: report.reference, actorId, to });
            if (result.kind !== 'done') throw new NotAllowed();
          }
        }
      });
    } catch (error) {
      // Someone moved a report meanwhile: nothing was changed, and the page shows the statuses as they are now.
      if (error instanceof NotAllowed) return back(c, reports, 'problem', 'not_allowed');
      throw error;
    }
    return back(c, reports, 'done', 'referred');
  });
  return routes;
}

const CONSOLE_SCRIPT_PATH = CONTACT_SCRIPT.slice(CONSOLE_BASE.length);

/** Whether this case-file row is of the file `sha256`, made to have its reports' sealed contact details added. */
function madeToAdd(entry: AuditEntry, sha256: string): boolean {
  const after = z.object({ sha256: z.string(), sealedAdded: z.array(z.string()) }).safeParse(entry.after);
  return after.success && after.data.sha256 === sha256 && entry.reference !== null && after.data.sealedAdded.includes(entry.reference);
}

/** The `generatedAt` a referral's audit row recorded. */
function recordedAt(entry: AuditEntry): string | undefined {
  const after = z.object({ generatedAt: z.string() }).safeParse(entry.after);
  return after.success ? after.data.generatedAt : undefined;
}

const fileStem = (references: readonly string[], at: string) =>
  `${references[0]}${references.length > 1 ? `-and-${references.length - 1}-more` : ''}-${at.slice(0, 10)}`;

function download(c: Context, body: string | Uint8Array<ArrayBuffer>, type: string, filename: string): Response {
  return c.body(body, 200, {
    'Content-Type': type,
    'Content-Disposition': `attachment; filename="${filename}"`,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'private, no-store',
  });
}

function notFound(c: Context<ConsoleEnv>): Response {
  return render(c, MessagePage({ title: ct('notFound.title'), message: ct('referral.notFound'), session: sessionOf(c) }), 404);
}

function RefsField({ reports }: { reports: readonly HeldReport[] }): VNode {
  return <input type="hidden" name="refs" value={reports.map((report) => report.reference).join(',')} />;
}

function ActionForm({ action, reports, label }: { action: string; reports: readonly HeldReport[]; label: string }): VNode {
  return (
    <form method="post" action={action}>
      <CsrfField />
      <RefsField reports={reports} />
      <button type="submit">{label}</button>
    </form>
  );
}

/** The case-file form; with the choice to add sealed contact details where any report has some its reporter agreed to share. */
function CaseFileForm({ reports, access }: { reports: readonly HeldReport[]; access: OwnAccess | null | undefined }): VNode {
  const sealed = sealedToAdd(reports);
  if (sealed.length === 0) return <ActionForm action={`${base}/case-file`} reports={reports} label={ct('referral.policeButton')} />;
  return (
    <ContactChoice sealed={sealed} access={access} action={`${base}/case-file`} contactAction={`${base}/case-file/contact`}>
      <CsrfField />
      <RefsField reports={reports} />
    </ContactChoice>
  );
}

const yesNo = (value: boolean) => ct(value ? 'referral.yes' : 'referral.no');

interface ReferralPageProps {
  session: SessionView;
  reports: HeldReport[];
  history: AuditEntry[];
  flash?: { kind: 'problem' | 'done'; key: ConsoleKey } | undefined;
  /** The moderator's own key access (null: none), given where sealed contact details may be added. */
  access?: OwnAccess | null | undefined;
}

function ReferralPage(props: ReferralPageProps): VNode {
  const { reports, history, flash } = props;
  const kept = reports.filter(notWithdrawn);
  return (
    <ConsolePage title={ctn('referral.title', reports.length)} session={props.session} scripts={sealedToAdd(kept).length > 0 ? [CONTACT_SCRIPT] : []}>
      {flash && <Notice kind={flash.kind}>{ct(flash.key)}</Notice>}
      <table>
        <caption>{ct('referral.reportsCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{ct('referral.reference')}</th>
            <th scope="col">{ct('referral.status')}</th>
            <th scope="col">{ct('referral.platformConsent')}</th>
            <th scope="col">{ct('referral.policeConsent')}</th>
            <th scope="col">{ct('referral.contactConsent')}</th>
          </tr>
        </thead>
        <tbody>
          {reports.map((report) => (
            <tr>
              <th scope="row">
                <a href={href.report(report.reference)}>{report.reference}</a>
              </th>
              <td>{statusLabel(report.status)}{report.outcome ? ` (${outcomeLabel(report.outcome)})` : ''}</td>
              <td>{yesNo(report.report.reporter.consents.platform)}</td>
              <td>{yesNo(report.report.reporter.consents.police)}</td>
              <td>{report.report.reporter.anonymous ? ct('referral.anonymous') : yesNo(report.report.reporter.consents.shareContact)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {kept.length === 0 ? <p>{ct('referral.flash.withdrawn')}</p> : <Destinations kept={kept} access={props.access} />}
      <section aria-labelledby="history-heading">
        <h2 id="history-heading">{ct('referral.historyHeading')}</h2>
        {history.length === 0 ? <p>{ct('referral.historyNone')}</p> : <History history={history} />}
      </section>
    </ConsolePage>
  );
}

/** The two referrals and the status change, for the reports neither withdrawn nor closed as duplicates. */
function Destinations({ kept, access }: { kept: HeldReport[]; access: OwnAccess | null | undefined }): VNode {
  const consents = kept.map((report) => report.report.reporter.consents);
  const referable = kept.some((report) => pathToReferred(report.status).length > 0);
  return (
    <>
      <section aria-labelledby="platform-heading">
        <h2 id="platform-heading">{ct('referral.platformHeading')}</h2>
        <p>{ct('referral.platformExplain')}</p>
        {consents.some((consent) => consent.platform) ? (
          <ActionForm action={`${base}/dsa-notice`} reports={kept} label={ct('referral.platformButton')} />
        ) : (
          <p>{ct('referral.flash.noPlatformConsent')}</p>
        )}
      </section>
      <section aria-labelledby="police-heading">
        <h2 id="police-heading">{ct('referral.policeHeading')}</h2>
        <p>{ct('referral.policeExplain')}</p>
        {consents.some((consent) => consent.police) ? (
          <CaseFileForm reports={kept} access={access} />
        ) : (
          <p>{ct('referral.flash.noPoliceConsent')}</p>
        )}
      </section>
      <StatusSection reports={kept} referable={referable} />
    </>
  );
}

function StatusSection({ reports, referable }: { reports: HeldReport[]; referable: boolean }): VNode {
  return (
    <section aria-labelledby="status-heading">
      <h2 id="status-heading">{ct('referral.statusHeading')}</h2>
      {referable ? (
        <>
          <p>{ct('referral.statusExplain')}</p>
          <ActionForm action={`${base}/referred`} reports={reports} label={ct('referral.statusButton')} />
        </>
      ) : (
        <p>{ct('referral.statusDone')}</p>
      )}
    </section>
  );
}

function History({ history }: { history: AuditEntry[] }): VNode {
  return (
    <AuditTable
      audit={history}
      time={formatTime}
      changeHeading={ct('referral.sha256')}
      change={(entry) => <code>{z.object({ sha256: z.string() }).safeParse(entry.after).data?.sha256 ?? ''}</code>}
    />
  );
}

function NoticePage(props: { session: SessionView; notice: DsaNotice; record: AuditEntry; reports: HeldReport[]; sha256: string }): VNode {
  const { notice, record, reports, sha256 } = props;
  return (
    <ConsolePage title={ct('referral.noticeTitle')} session={props.session}>
      <Notice kind="done">{ct('referral.noticeRecorded', { who: record.actor ?? '', when: formatTime(record.at) })}</Notice>
      <p>{ct('referral.noticeHowTo')}</p>
      <p>
        <a href={noticeHref(notice.references, notice.generatedAt, true)} download>
          {ct('referral.noticeJson')}
        </a>{' '}
        <span class="hint">
          SHA-256 <code>{sha256}</code>
        </span>
      </p>
      <h2>{ct('referral.noticeText')}</h2>
      <pre class="captured">{noticeText(notice)}</pre>
      <StatusSection reports={reports} referable={reports.some((report) => pathToReferred(report.status).length > 0)} />
      <p>
        <a href={referralsHref(reports.map((report) => report.reference))}>{ct('referral.backToReferrals')}</a>
      </p>
    </ConsolePage>
  );
}
