/**
 * Referring a report or a cluster: `/console/referrals?refs=OHR-…,OHR-…` (linked from the report view and from a
 * cluster) shows what each destination may be told, and offers
 * - "Refer to platform (DSA notice)": POST → the notice is built and recorded in the audit log (one row per report:
 *   who, when, the SHA-256 of the notice's JSON), then 303 to a page showing it as text with a JSON download. That page
 *   rebuilds the notice from the recorded time and moderator, so what is shown is exactly what was recorded;
 * - "Police case file": POST → the ZIP is built, recorded (its SHA-256) and downloaded in the same response;
 * - "Set status to referred": through the workflow's own status steps, in one transaction for the whole set.
 * Moderators only; every POST carries the CSRF token.
 */
import { Hono, type Context } from 'hono';
import type { VNode } from 'preact';
import { z } from 'zod';
import { ct, ctn, type ConsoleKey } from '../../../lib/i18n/console';
import { PATHS, Receipt, type ReportStatus } from '../../../lib/schema';
import { sha256Hex } from '../../hash';
import type { Queryable } from '../../db';
import { requireCsrf, requireModerator, sessionOf, type ConsoleApp, type ConsoleDeps, type ConsoleEnv } from '../auth/guard';
import { ConsolePage, CsrfField, formatTime, MessagePage, Notice, render, type SessionView } from '../shared/layout';
import { href, referralsHref } from '../shared/links';
import { outcomeLabel, statusLabel } from '../shared/labels';
import { appendAudit, AuditAction } from '../../domain/audit';
import { pathTo, steps } from '../../domain/workflow';
import { standsAlone } from '../../domain/counted';
import { buildCaseFile } from './case-file';
import { AuditTable } from './case-summary';
import { buildDsaNotice, noticeText, type DsaNotice } from './dsa-notice';
import { loadAudit, loadEvidence, loadProof, loadReports, type AuditEntry, type HeldReport } from './sources';

/** A cluster rarely holds more; the cap keeps one request's work bounded. */
export const MAX_REFERRAL_REPORTS = 100;

export const REFERRAL_ACTIONS = { notice: AuditAction.referralNotice, caseFile: AuditAction.referralCaseFile } as const;

const base = href.referrals;
const noticeHref = (references: readonly string[], at: string, json = false) =>
  `${base}/dsa-notice${json ? '.json' : ''}?refs=${references.join(',')}&at=${encodeURIComponent(at)}`;

const References = z
  .string()
  .transform((value) => [...new Set(value.split(',').map((part) => part.trim()))])
  .pipe(z.array(Receipt.shape.reference).min(1).max(MAX_REFERRAL_REPORTS));
const RefsForm = z.object({ refs: References });
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

  routes.get('/referrals', signedIn, async (c) => {
    const reports = await held(c.req.query('refs'));
    if (reports.length === 0) return notFound(c);
    const history = (await loadAudit(db, reports.map((report) => report.reference))).filter((entry) => entry.action.startsWith('referral.'));
    const flash = FLASH[c.req.query('done') ?? c.req.query('problem') ?? ''];
    return render(c, <ReferralPage session={sessionOf(c)} reports={reports} history={history} flash={flash} />);
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
    const result = await buildCaseFile({ organisation: config.name, generatedAt, reports, evidence, audit, proof, keysUrl });
    if (!result.ok) return back(c, reports, 'problem', 'no_police_consent');
    await db.transaction((tx) =>
      recordReferral(tx, c.get('moderator').id, REFERRAL_ACTIONS.caseFile, result.references, {
        generatedAt,
        sha256: result.sha256,
        files: result.files.length,
        withoutConsent: result.withoutConsent,
      }),
    );
    return download(c, result.bytes, 'application/zip', `case-file-${fileStem(result.references, generatedAt)}.zip`);
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

const yesNo = (value: boolean) => ct(value ? 'referral.yes' : 'referral.no');

function ReferralPage(props: { session: SessionView; reports: HeldReport[]; history: AuditEntry[]; flash?: { kind: 'problem' | 'done'; key: ConsoleKey } | undefined }): VNode {
  const { reports, history, flash } = props;
  const kept = reports.filter(notWithdrawn);
  return (
    <ConsolePage title={ctn('referral.title', reports.length)} session={props.session}>
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
      {kept.length === 0 ? <p>{ct('referral.flash.withdrawn')}</p> : <Destinations kept={kept} />}
      <section aria-labelledby="history-heading">
        <h2 id="history-heading">{ct('referral.historyHeading')}</h2>
        {history.length === 0 ? <p>{ct('referral.historyNone')}</p> : <History history={history} />}
      </section>
    </ConsolePage>
  );
}

/** The two referrals and the status change, for the reports neither withdrawn nor closed as duplicates. */
function Destinations({ kept }: { kept: HeldReport[] }): VNode {
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
          <ActionForm action={`${base}/case-file`} reports={kept} label={ct('referral.policeButton')} />
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
