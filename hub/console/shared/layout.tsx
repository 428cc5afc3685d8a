/**
 * The console's page shell, rendered on the server. No script runs in the console (its CSP has no `script-src`):
 * every action is a plain form that POSTs and is answered with a redirect. Preact escapes every text it renders, so
 * captured content can only ever appear as text; nothing here uses `dangerouslySetInnerHTML`.
 */
import type { Context } from 'hono';
import { createContext, type ComponentChildren, type VNode } from 'preact';
import { useContext } from 'preact/hooks';
import { renderToString } from 'preact-render-to-string';
import { ct } from '../../../lib/i18n/console';
import type { Moderator } from '../auth/accounts';
import { href } from './links';
import { protectionClasses, protectionsOf, WellbeingContext, type Wellbeing } from './wellbeing';

export type NavItem = 'queue' | 'dashboard' | 'admin' | 'deliveries' | 'account' | 'none';

export interface SessionView {
  moderator: Moderator;
  csrfToken: string;
  /** The moderator's wellbeing settings for this page (shared/wellbeing.tsx); all protections on when absent. */
  wellbeing?: PageWellbeing | undefined;
}

/** The settings and, for the break reminder's "carry on" form, the address of the page to come back to. */
export interface PageWellbeing extends Wellbeing {
  here: string;
}

const CsrfContext = createContext<string | undefined>(undefined);

/** The hidden CSRF token every POST form carries; it reads the token from the page it is rendered in. */
export function CsrfField(): VNode {
  const token = useContext(CsrfContext);
  if (!token) throw new Error('CsrfField rendered outside a signed-in ConsolePage');
  return <input type="hidden" name="csrf" value={token} />;
}

export interface PageProps {
  title: string;
  /** Undefined on the sign-in page. */
  session?: SessionView;
  current?: NavItem;
  /** A page that needs the whole window (the report view's two columns). */
  wide?: boolean;
  /** Scripts of the console's own origin (progressive enhancement only: every page works without them). */
  scripts?: readonly string[];
  children: ComponentChildren;
}

/** Every console page: a skip link, the navigation for the signed-in moderator, one `<main>` with the page's `<h1>`. */
export function ConsolePage({ title, session, current = 'none', wide = false, scripts = [], children }: PageProps): VNode {
  const protections = protectionsOf(session?.wellbeing);
  return (
    <html lang="en" dir="ltr">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{`${title} · ${ct('console.name')}`}</title>
        <link rel="stylesheet" href={href.css} />
        {scripts.map((src) => (
          <script src={src} defer />
        ))}
      </head>
      <body class={protectionClasses(protections) || undefined}>
        <a class="skip" href="#main">
          {ct('console.skip')}
        </a>
        <CsrfContext.Provider value={session?.csrfToken}>
          <WellbeingContext.Provider value={protections}>
          <header class="bar">
            <p class="brand">{ct('console.name')}</p>
            {session && <Navigation session={session} current={current} />}
          </header>
          <main id="main" tabIndex={-1} class={wide ? 'wide' : undefined}>
            <h1>{title}</h1>
            {session?.wellbeing?.remindAfter !== undefined && <BreakReminder minutes={session.wellbeing.remindAfter} here={session.wellbeing.here} />}
            {children}
          </main>
          </WellbeingContext.Provider>
        </CsrfContext.Provider>
      </body>
    </html>
  );
}

function Navigation({ session, current }: { session: SessionView; current: NavItem }): VNode {
  const link = (item: NavItem, to: string, label: string) => (
    <li>
      <a href={to} aria-current={current === item ? 'page' : undefined}>
        {label}
      </a>
    </li>
  );
  return (
    <nav aria-label={ct('nav.label')}>
      <ul>
        {link('queue', href.queue, ct('nav.queue'))}
        {link('dashboard', href.dashboard, ct('nav.dashboard'))}
        {session.moderator.role === 'admin' && link('admin', href.admin, ct('nav.admin'))}
        {session.moderator.role === 'admin' && link('deliveries', href.deliveries, ct('nav.deliveries'))}
        {link('account', href.account, ct('nav.account'))}
      </ul>
      <form method="post" action={href.logout} class="signout">
        <span>{ct('nav.signedInAs', { email: session.moderator.email })}</span>
        <CsrfField />
        <button type="submit">{ct('nav.signOut')}</button>
      </form>
    </nav>
  );
}

/**
 * The calm reminder after a long stretch in the queue (hub/domain/wellbeing.ts): a status, not an alert, with one way
 * to carry on that starts the stretch again. Nothing is blocked; the moderator decides.
 */
function BreakReminder({ minutes, here }: { minutes: number; here: string }): VNode {
  return (
    <div class="break-reminder" role="status" aria-labelledby="break-heading" data-testid="break-reminder">
      <h2 id="break-heading">{ct('wellbeing.reminderTitle')}</h2>
      <p>{ct('wellbeing.reminder', { minutes })}</p>
      <form method="post" action={href.wellbeingBreak}>
        <CsrfField />
        <input type="hidden" name="back" value={here} />
        <button type="submit" class="secondary">
          {ct('wellbeing.dismiss')}
        </button>
      </form>
    </div>
  );
}

/** Renders a page as the response; pages are personal, so nothing is cached. */
export function render(c: Context, page: VNode, status: 200 | 400 | 401 | 403 | 404 | 409 | 422 | 429 = 200): Response {
  c.header('Cache-Control', 'no-store');
  return c.html(`<!doctype html>${renderToString(page)}`, status);
}

/** A message box: `role="alert"` for problems, `role="status"` for confirmations. */
export function Notice({ kind, children }: { kind: 'problem' | 'done'; children: ComponentChildren }): VNode {
  return (
    <div class={`notice ${kind}`} role={kind === 'problem' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

/** A page that only says what went wrong (404, 403, …), with a way back. */
export function MessagePage({ title, message, session }: { title: string; message: string; session?: SessionView }): VNode {
  return (
    <ConsolePage title={title} session={session}>
      <p>{message}</p>
      <p>
        <a href={session ? href.queue : href.login}>{session ? ct('message.backToQueue') : ct('message.signIn')}</a>
      </p>
    </ConsolePage>
  );
}

/** A row's header: the report's reference, linking to it, with the urgent badge (the queue's and a cluster's tables). */
export function ReferenceCell({ reference, urgent, to }: { reference: string; urgent: boolean; /** Where the link goes, if not the plain report page (the queue's carries the queue along). */ to?: string }): VNode {
  return (
    <th scope="row">
      <a href={to ?? href.report(reference)}>{reference}</a>
      {urgent && (
        <>
          {' '}
          <strong class="urgent">{ct('queue.urgent')}</strong>
        </>
      )}
    </th>
  );
}

/** Dates as moderators read them: UTC, to the minute, the same on every page. */
export function formatTime(value: Date | string): string {
  return `${new Date(value).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
