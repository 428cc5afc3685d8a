/**
 * /console/admin: the list of moderator accounts, a form to add one, and per account: change role, disable or
 * enable, unlock. Admins only; every change is audited (accounts.ts).
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
import { href } from '../shared/links';

const FLASH: Record<string, { kind: 'problem' | 'done'; key: ConsoleKey }> = {
  created: { kind: 'done', key: 'admin.created' },
  changed: { kind: 'done', key: 'admin.changed' },
  self: { kind: 'problem', key: 'admin.self' },
  not_found: { kind: 'problem', key: 'admin.notFound' },
};

const ChangeForm = z.discriminatedUnion('change', [
  z.object({ change: z.literal('role'), role: Role }),
  z.object({ change: z.enum(['disable', 'enable', 'unlock', 'resetTotp']) }),
]);

export function adminRoutes(deps: ConsoleDeps): ConsoleApp {
  const routes = new Hono<ConsoleEnv>();
  const { db } = deps;
  const admin = [requireModerator(deps), requireAdmin()] as const;
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
    const change: AccountChange = form.data.change === 'role' ? { kind: 'role', role: form.data.role } : { kind: form.data.change };
    const result = await changeAccount(db, id.data, change, c.get('moderator').id);
    return c.redirect(`${href.admin}?${result === 'done' ? 'done=changed' : `problem=${result}`}`, 303);
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
            {moderator.disabledAt
              ? button('enable', ct('admin.enable', { email: moderator.email }))
              : button('disable', ct('admin.disable', { email: moderator.email }))}
            {locked && button('unlock', ct('admin.unlock', { email: moderator.email }))}
            {moderator.totp && button('resetTotp', ct('admin.resetTotp', { email: moderator.email }))}
          </>
        )}
      </td>
    </tr>
  );
}
