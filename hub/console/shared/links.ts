/**
 * The console's addresses, in one place so links and routes agree: a page of one feature links to another's through
 * these, never by importing it.
 */
export const CONSOLE_BASE = '/console';

export const href = {
  home: CONSOLE_BASE,
  css: `${CONSOLE_BASE}/console.css`,
  login: `${CONSOLE_BASE}/login`,
  logout: `${CONSOLE_BASE}/logout`,
  queue: `${CONSOLE_BASE}/queue`,
  dashboard: `${CONSOLE_BASE}/dashboard`,
  admin: `${CONSOLE_BASE}/admin`,
  deliveries: `${CONSOLE_BASE}/deliveries`,
  account: `${CONSOLE_BASE}/account`,
  /** The account's wellbeing settings, the organisation's defaults (admins), and the break reminder's "carry on". */
  accountWellbeing: `${CONSOLE_BASE}/account/wellbeing`,
  adminWellbeing: `${CONSOLE_BASE}/admin/wellbeing`,
  wellbeingBreak: `${CONSOLE_BASE}/wellbeing/break`,
  /** A moderator's own key for sealed contact details, and the admins' page of who has access (hub/console/key-access). */
  accountKey: `${CONSOLE_BASE}/account/sealed-access`,
  adminKeyAccess: `${CONSOLE_BASE}/admin/sealed-access`,
  /**
   * A report's page. From a queue page, pass that page's query string as `queue` (`reportInQueue` below does): the
   * report view's next/previous links then follow the same filters, order and page, and "Back to the queue" returns there.
   */
  report: (reference: string, queue?: string) =>
    `${CONSOLE_BASE}/reports/${encodeURIComponent(reference)}${queue === undefined ? '' : `?queue=${encodeURIComponent(queue)}`}`,
  evidence: (sha256: string) => `${CONSOLE_BASE}/evidence/${sha256}`,
  referrals: `${CONSOLE_BASE}/referrals`,
  setup: `${CONSOLE_BASE}/setup`,
  reset: `${CONSOLE_BASE}/reset`,
} as const;

/** The first-run address with its one-time token (links.ts): printed at start, never logged. */
export const setupHref = (token: string): string => `${href.setup}?token=${encodeURIComponent(token)}`;

/** A password reset address with its one-time token, shown once to the admin who made it (and emailed). */
export const resetHref = (token: string): string => `${href.reset}?token=${encodeURIComponent(token)}`;

/** Where a moderator opens a report's sealed contact details with the organisation's key (hub/console/sealed). */
export const sealedContactHref = (reference: string): string => `${CONSOLE_BASE}/reports/${encodeURIComponent(reference)}/sealed`;

/** The cluster page of a report. */
export const clusterHref = (reference: string): string => `${CONSOLE_BASE}/clusters/${encodeURIComponent(reference)}`;

/** The referral page for these reports: what the report view and a cluster page link to. */
export const referralsHref = (references: readonly string[]): string => `${href.referrals}?refs=${references.map(encodeURIComponent).join(',')}`;

/**
 * A report's address carrying the queue it was opened from: `query` is the queue page's own query string (filters,
 * order, page; without the leading "?"). The report view moves to the next and previous report of that queue.
 */
export const reportInQueue = (reference: string, query: string): string => href.report(reference, query.replace(/^\?/, ''));
