/**
 * /console/admin: the list of moderator accounts, a form to add one, and per account: change role, disable (after a
 * confirmation page: the console runs no script) or enable, unlock, and make a one-time password reset link, shown
 * once and emailed when the hub has a mail server. Admins only; every change is audited (accounts.ts, links.ts).
 */
import { Hono, type Context } from 'hono';
import type { VNode } from 'preact';
import { z } from 'zod';
import { ct, type ConsoleKey } from '../../../lib/i18n/console';
import { fieldErrors, type FieldError } from '../../../lib/schema';
import { changeAccount, createModerator, listModerators, NewModerator, Role, type AccountChange, type ModeratorRow } from '../auth/accounts';
import { PASSWORD_MIN } from '../auth/password';
import { formBody, requireAdmin, requireCsrf, requireModerator, sessionOf, type ConsoleApp, type ConsoleDeps, type ConsoleEnv } from '../auth/guard';
import { ConsolePage, CsrfField, formatTime, Notice, render, type SessionView } from '../shared/layout';
import { href, resetHref } from '../shared/links';
import { issueResetLink, RESET_LINK_MINUTES } from '../auth/links';

const FLASH: Record<string, { kind: 'problem' | 'done'; key: ConsoleKey }> = {
  created: { kind: 'done', key: 'admin.created' },
  changed: { kind: 'done', key: 'admin.changed' },
  self: { kind: 'problem', key: 'admin.self' },
  not_found: { kind: 'problem', key: 'admin.notFound' },
  not_admin: { kind: 'problem', key: 'admin.notAdmin' },
  disabled: { kind: 'problem', key: 'admin.disabledAccount' },
  disabled_done: { kind: 'done', key: 'admin.disabledDone' },
};

const ChangeForm = z.discriminatedUnion('change', [
  z.object({ change: z.literal('role'), role: Role }),
  // Disabling takes the confirmation page's `confirm=yes`; without it the page is shown instead.
  z.object({ change: z.literal('disable'), confirm: z.literal('yes').optional() }),
  z.object({ change: z.enum(['enable', 'unlock', 'resetTotp']) }),
]);

export function adminRoutes(deps: ConsoleDeps): ConsoleApp {
  const routes = new Hono<ConsoleEnv>();
  const { db } = deps;
  const admin = [requireModerator(deps), requireAdmin()] as const;
  const now = deps.now ?? (() => new Date());
  const page = async (c: Context<ConsoleEnv>, problems: FieldError[] = [], status: 200 | 409 | 422 = 200, email = '') =>
    render(
      c,
      <AdminPage session={sessionOf(c)} moderators={await listModerators(db)} problems={problems} email={email} flash={FLASH[c.req.query('done') ?? c.req.query('problem') ?? '']} now={(deps.now ?? (() => new Date()))()} />,
      status,
    );

  routes.get('/admin', ...admin, (c) => page(c));

  routes.post('/admin/moderators', ...admin, requireCsrf(deps), async (c) => {
    const body = await formBody(c);
    const form = NewModerator.safeParse(body);
    const email = typeof body.email === 'string' ? body.email : '';
    if (!form.success) return page(c, fieldErrors(form.error), 422, email);
    const outcome = await createModerator(db, form.data, c.get('moderator').id);
    if (outcome.kind === 'exists') return page(c, [{ path: 'email', message: ct('admin.exists') }], 409, email);
    return c.redirect(`${href.admin}?done=created`, 303);
  });

  routes.post('/admin/moderators/:id', ...admin, requireCsrf(deps), async (c) => {
    const id = z.uuid().safeParse(c.req.param('id'));
    const form = ChangeForm.safeParse(await formBody(c));
    if (!id.success || !form.success) return c.redirect(`${href.admin}?problem=not_found`, 303);
    if (form.data.change === 'disable' && form.data.confirm !== 'yes') return c.redirect(`${href.admin}/moderators/${id.data}/disable`, 303);
    const change: AccountChange = form.data.change === 'role' ? { kind: 'role', role: form.data.role } : { kind: form.data.change };
    const result = await changeAccount(db, id.data, change, c.get('moderator').id);
    const done = change.kind === 'disable' ? 'disabled_done' : 'changed';
    return c.redirect(`${href.admin}?${result === 'done' ? `done=${done}` : `problem=${result}`}`, 303);
  });

  routes.get('/admin/moderators/:id/disable', ...admin, async (c) => {
    const id = z.uuid().safeParse(c.req.param('id'));
    const [account] = id.success ? (await listModerators(db)).filter((row) => row.id === id.data && !row.disabledAt) : [];
    if (!account) return c.redirect(`${href.admin}?problem=not_found`, 303);
    if (account.id === c.get('moderator').id) return c.redirect(`${href.admin}?problem=self`, 303);
    return render(c, <ConfirmDisablePage session={sessionOf(c)} account={account} />);
  });

  routes.post('/admin/moderators/:id/reset-link', ...admin, requireCsrf(deps), async (c) => {
    const id = z.uuid().safeParse(c.req.param('id'));
    if (!id.success) return c.redirect(`${href.admin}?problem=not_found`, 303);
    const outcome = await issueResetLink(db, id.data, c.get('moderator').id, now());
    if (outcome.kind !== 'issued') return c.redirect(`${href.admin}?problem=${outcome.kind}`, 303);
    const link = `${deps.origin?.() ?? new URL(c.req.url).origin}${resetHref(outcome.token)}`;
    const emailed = await emailLink(deps, outcome.email, link);
    return render(c, <ResetLinkPage session={sessionOf(c)} email={outcome.email} link={link} expiresAt={outcome.expiresAt} emailed={emailed} />);
  });
  return routes;
}

interface AdminPageProps {
  session: SessionView;
  moderators: ModeratorRow[];
  problems: FieldError[];
  email: string;
  flash: { kind: 'problem' | 'done'; key: ConsoleKey } | undefined;
  now: Date;
}

function AdminPage({ session, moderators, problems, email, flash, now }: AdminPageProps): VNode {
  const problem = (path: string) => problems.filter((entry) => entry.path === path).map((entry) => entry.message).join(' ');
  const described = (path: string) => (problem(path) ? `${path}-problem` : undefined);
  return (
    <ConsolePage title={ct('admin.title')} session={session} current="admin">
      {flash && <Notice kind={flash.kind}>{ct(flash.key)}</Notice>}
      <p>
        <a href={href.adminWellbeing}>{ct('wellbeing.adminLink')}</a>
      </p>
      <p>
        <a href={href.adminKeyAccess}>{ct('keyAccess.adminLink')}</a>
      </p>
      <section aria-labelledby="accounts-heading">
        <h2 id="accounts-heading">{ct('admin.accounts')}</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">{ct('admin.email')}</th>
              <th scope="col">{ct('admin.role')}</th>
              <th scope="col">{ct('admin.state')}</th>
              <th scope="col">{ct('admin.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {moderators.map((moderator) => (
              <AccountRow moderator={moderator} self={moderator.id === session.moderator.id} now={now} />
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="create-heading">
        <h2 id="create-heading">{ct('admin.create')}</h2>
        {problems.length > 0 && <Notice kind="problem">{ct('admin.fix')}</Notice>}
        <form method="post" action={`${href.admin}/moderators`} class="stack narrow">
          <CsrfField />
          <label for="new-email">{ct('admin.email')}</label>
          <input id="new-email" name="email" type="email" required maxLength={254} value={email} autocomplete="off" aria-invalid={problem('email') ? 'true' : undefined} aria-describedby={described('email')} />
          {problem('email') && <p id="email-problem" class="field-problem">{problem('email')}</p>}
          <label for="new-password">{ct('admin.password')}</label>
          <p id="password-hint" class="hint">
            {ct('admin.passwordHint', { min: PASSWORD_MIN })}
          </p>
          <input id="new-password" name="password" type="password" required minLength={PASSWORD_MIN} autocomplete="new-password" aria-invalid={problem('password') ? 'true' : undefined} aria-describedby={['password-hint', described('password')].filter(Boolean).join(' ')} />
          {problem('password') && <p id="password-problem" class="field-problem">{problem('password')}</p>}
          <label for="new-role">{ct('admin.role')}</label>
          <select id="new-role" name="role">
            {Role.options.map((role) => (
              <option value={role}>{ct(`role.${role}`)}</option>
            ))}
          </select>
          <button type="submit">{ct('admin.createSubmit')}</button>
        </form>
      </section>
    </ConsolePage>
  );
}

function AccountRow({ moderator, self, now }: { moderator: ModeratorRow; self: boolean; now: Date }): VNode {
  const locked = moderator.lockedUntil !== null && new Date(moderator.lockedUntil) > now;
  const access = moderator.disabledAt ? ct('admin.disabled') : locked ? ct('admin.lockedUntil', { at: formatTime(moderator.lockedUntil!) }) : ct('admin.active');
  const state = moderator.totp ? `${access}, ${ct('admin.totp')}` : access;
  const action = `${href.admin}/moderators/${moderator.id}`;
  const button = (change: string, label: string, extra?: VNode) => (
    <form method="post" action={action} class="inline">
      <CsrfField />
      <input type="hidden" name="change" value={change} />
      {extra}
      <button type="submit">{label}</button>
    </form>
  );
  const otherRole = moderator.role === 'admin' ? 'moderator' : 'admin';
  return (
    <tr data-testid="moderator">
      <td>{moderator.email}</td>
      <td>{ct(`role.${moderator.role}`)}</td>
      <td>{state}</td>
      <td>
        {self ? (
          <span class="hint">{ct('admin.you')}</span>
        ) : (
          <>
            {button('role', ct('admin.makeRole', { role: ct(`role.${otherRole}`), email: moderator.email }), <input type="hidden" name="role" value={otherRole} />)}
            {moderator.disabledAt ? (
              button('enable', ct('admin.enable', { email: moderator.email }))
            ) : (
              <>
                {/* A link to the confirmation page, not a form: disabling is never one click. */}
                <a class="button" href={`${action}/disable`}>
                  {ct('admin.disable', { email: moderator.email })}
                </a>
                <form method="post" action={`${action}/reset-link`} class="inline">
                  <CsrfField />
                  <button type="submit">{ct('admin.resetLink', { email: moderator.email })}</button>
                </form>
              </>
            )}
            {locked && button('unlock', ct('admin.unlock', { email: moderator.email }))}
            {moderator.totp && button('resetTotp', ct('admin.resetTotp', { email: moderator.email }))}
          </>
        )}
      </td>
    </tr>
  );
}

/** Sends a reset link by email when the hub has a mail server; says which of the three happened. */
async function emailLink(deps: ConsoleDeps, to: string, link: string): Promise<'sent' | 'failed' | 'off'> {
  if (!deps.mailer) return 'off';
  try {
    await deps.mailer.send({ to, subject: ct('mail.resetSubject'), text: ct('mail.resetText', { minutes: RESET_LINK_MINUTES, link }) });
    return 'sent';
  } catch (error) {
    // Neither the address nor the link is logged: the admin has both on the page and passes the link on.
    deps.logger.warn({ err: { type: error instanceof Error ? error.name : typeof error, code: (error as { code?: unknown }).code } }, 'reset link email not sent');
    return 'failed';
  }
}

function ConfirmDisablePage({ session, account }: { session: SessionView; account: ModeratorRow }): VNode {
  return (
    <ConsolePage title={ct('admin.confirmDisableTitle', { email: account.email })} session={session} current="admin">
      <p>{ct('admin.confirmDisable')}</p>
      <form method="post" action={`${href.admin}/moderators/${account.id}`} class="stack narrow">
        <CsrfField />
        <input type="hidden" name="change" value="disable" />
        <input type="hidden" name="confirm" value="yes" />
        <button type="submit" class="danger">
          {ct('admin.confirmDisableSubmit', { email: account.email })}
        </button>
      </form>
      <p>
        <a href={href.admin}>{ct('admin.cancel')}</a>
      </p>
    </ConsolePage>
  );
}

interface ResetLinkPageProps {
  session: SessionView;
  email: string;
  link: string;
  expiresAt: Date;
  emailed: 'sent' | 'failed' | 'off';
}

function ResetLinkPage({ session, email, link, expiresAt, emailed }: ResetLinkPageProps): VNode {
  const mail = { sent: ct('admin.resetLinkEmailed', { email }), failed: ct('admin.resetLinkNotEmailed', { email }), off: ct('admin.resetLinkNoEmail') }[emailed];
  return (
    <ConsolePage title={ct('admin.resetLinkTitle', { email })} session={session} current="admin">
      <p>{ct('admin.resetLinkShown', { email, at: formatTime(expiresAt) })}</p>
      {emailed === 'failed' ? <Notice kind="problem">{mail}</Notice> : <p>{mail}</p>}
      <p>
        <label for="reset-link">{ct('admin.resetLinkLabel')}</label>
      </p>
      <textarea id="reset-link" class="link-box" readOnly rows={3} data-testid="reset-link">
        {link}
      </textarea>
      <p>
        <a href={href.admin}>{ct('admin.back')}</a>
      </p>
    </ConsolePage>
  );
}
