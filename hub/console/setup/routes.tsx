/**
 * The console's one-time links, used without signing in (auth/links.ts):
 *
 * - /console/setup?token=…: the first admin chooses their email and password (and may turn on two-step sign-in);
 * - /console/reset?token=…: a moderator chooses a new password with the link an admin gave them.
 *
 * The token travels in the query string of the GET and in a hidden field of the POST; the request log names route
 * patterns only (hub/app.ts), pages are `no-store`, and `Referrer-Policy: no-referrer` keeps it out of other sites'
 * logs. Posts must come from this origin, as the sign-in form's do. A link is checked before any password is hashed,
 * so posting to a dead link costs the hub nothing.
 */
import { Hono, type Context } from 'hono';
import type { VNode } from 'preact';
import { z } from 'zod';
import { ct } from '../../../lib/i18n/console';
import { fieldErrors, type FieldError } from '../../../lib/schema';
import { Email } from '../auth/accounts';
import { formBody, sameOrigin, type ConsoleApp, type ConsoleDeps, type ConsoleEnv } from '../auth/guard';
import { createFirstAdmin, RESET_LINK_MINUTES, resetLinkAccount, resetPassword, SETUP_LINK_HOURS, setupLinkState } from '../auth/links';
import { NewPassword, PASSWORD_MIN } from '../auth/password';
import { freshStep, newTotpSecret, totpUri } from '../auth/totp';
import { ConsolePage, MessagePage, Notice, render } from '../shared/layout';
import { href } from '../shared/links';
import { QrCode } from '../shared/qr';

const Token = z.string().max(64);
const SetupForm = z.object({
  token: Token,
  email: Email,
  password: NewPassword,
  secret: z.string().regex(/^[A-Z2-7]{32}$/),
  code: z.string().trim().max(16).default(''),
});
const ResetForm = z.object({ token: Token, password: NewPassword });

export function setupRoutes(deps: ConsoleDeps): ConsoleApp {
  const routes = new Hono<ConsoleEnv>();
  const now = deps.now ?? (() => new Date());
  const token = (c: Context, body?: Record<string, unknown>) => {
    const value = body ? body.token : c.req.query('token');
    return typeof value === 'string' ? value : '';
  };
  const setupClosed = (c: Context, state: 'done' | 'dead') =>
    state === 'done'
      ? render(c, MessagePage({ title: ct('setup.doneTitle'), message: ct('setup.done') }), 409)
      : render(c, MessagePage({ title: ct('setup.deadTitle'), message: ct('setup.dead', { hours: SETUP_LINK_HOURS }) }), 404);
  const resetClosed = (c: Context) => render(c, MessagePage({ title: ct('reset.deadTitle'), message: ct('reset.dead', { minutes: RESET_LINK_MINUTES }) }), 404);
  const forged = (c: Context) => render(c, MessagePage({ title: ct('csrf.title'), message: ct('csrf.refused') }), 403);

  routes.get('/setup', async (c) => {
    const state = await setupLinkState(deps.db, token(c), now());
    if (state !== 'open') return setupClosed(c, state);
    return render(c, <SetupPage token={token(c)} secret={newTotpSecret()} issuer={deps.config.name} />);
  });

  routes.post('/setup', async (c) => {
    if (!sameOrigin(c, deps.config)) return forged(c);
    const body = await formBody(c);
    const state = await setupLinkState(deps.db, token(c, body), now());
    if (state !== 'open') return setupClosed(c, state);
    const form = SetupForm.safeParse(body);
    const again = (problems: FieldError[], status: 409 | 422 = 422) =>
      render(c, <SetupPage token={token(c, body)} secret={typeof body.secret === 'string' && /^[A-Z2-7]{32}$/.test(body.secret) ? body.secret : newTotpSecret()} issuer={deps.config.name} email={typeof body.email === 'string' ? body.email : ''} problems={problems} />, status);
    if (!form.success) return again(fieldErrors(form.error));
    const { email, password, secret, code } = form.data;
    const step = code === '' ? undefined : freshStep(secret, code, null, now());
    if (code !== '' && step === undefined) return again([{ path: 'code', message: ct('setup.wrongCode') }]);
    const outcome = await createFirstAdmin(deps.db, form.data.token, { email, password, ...(step === undefined ? {} : { totp: { secret, step } }) }, now(), deps.totpKey);
    if (outcome.kind !== 'created') return setupClosed(c, outcome.kind);
    return render(c, MessagePage({ title: ct('setup.createdTitle'), message: ct('setup.created') }));
  });

  routes.get('/reset', async (c) => {
    const email = await resetLinkAccount(deps.db, token(c), now());
    if (!email) return resetClosed(c);
    return render(c, <ResetPage token={token(c)} email={email} />);
  });

  routes.post('/reset', async (c) => {
    if (!sameOrigin(c, deps.config)) return forged(c);
    const body = await formBody(c);
    const email = await resetLinkAccount(deps.db, token(c, body), now());
    if (!email) return resetClosed(c);
    const form = ResetForm.safeParse(body);
    if (!form.success) return render(c, <ResetPage token={token(c, body)} email={email} problems={fieldErrors(form.error)} />, 422);
    if ((await resetPassword(deps.db, form.data.token, form.data.password, now())) !== 'done') return resetClosed(c);
    return render(c, MessagePage({ title: ct('reset.doneTitle'), message: ct('reset.done') }));
  });
  return routes;
}

/** A field's problems as one sentence, and the attributes that tie it to its input. */
function fieldProblem(problems: FieldError[], path: string) {
  const text = problems.filter((entry) => entry.path === path).map((entry) => entry.message).join(' ');
  return { text, id: text ? `${path}-problem` : undefined };
}

function ProblemText({ problem }: { problem: { text: string; id: string | undefined } }): VNode | null {
  return problem.id ? (
    <p id={problem.id} class="field-problem">
      {problem.text}
    </p>
  ) : null;
}

/** The new-password field both pages share: its rules said before it, its problem after it. */
function NewPasswordField({ label, problems }: { label: string; problems: FieldError[] }): VNode {
  const problem = fieldProblem(problems, 'password');
  return (
    <>
      <label for="password">{label}</label>
      <p id="password-hint" class="hint">
        {ct('setup.passwordHint', { min: PASSWORD_MIN })}
      </p>
      <input id="password" name="password" type="password" autocomplete="new-password" required minLength={PASSWORD_MIN} maxLength={256} aria-invalid={problem.id ? 'true' : undefined} aria-describedby={['password-hint', problem.id].filter(Boolean).join(' ')} />
      <ProblemText problem={problem} />
    </>
  );
}

interface SetupPageProps {
  token: string;
  /** The second factor's secret offered on this page; it takes effect only with a code that proves the app has it. */
  secret: string;
  issuer: string;
  email?: string;
  problems?: FieldError[];
}

function SetupPage({ token, secret, issuer, email = '', problems = [] }: SetupPageProps): VNode {
  const emailProblem = fieldProblem(problems, 'email');
  const codeProblem = fieldProblem(problems, 'code');
  return (
    <ConsolePage title={ct('setup.title')}>
      {problems.length > 0 && <Notice kind="problem">{ct('setup.fix')}</Notice>}
      <p>{ct('setup.intro')}</p>
      <form method="post" action={href.setup} class="stack narrow">
        <input type="hidden" name="token" value={token} />
        <input type="hidden" name="secret" value={secret} />
        <label for="email">{ct('setup.email')}</label>
        <input id="email" name="email" type="email" autocomplete="username" required maxLength={254} value={email} aria-invalid={emailProblem.id ? 'true' : undefined} aria-describedby={emailProblem.id} />
        <ProblemText problem={emailProblem} />
        <NewPasswordField label={ct('setup.password')} problems={problems} />
        <h2>{ct('setup.totpHeading')}</h2>
        <p>{ct('setup.totpHow')}</p>
        <QrCode text={totpUri(secret, email || 'admin', issuer)} label={ct('account.qrLabel')} />
        <p>
          {ct('account.totpSecret')} <code class="key" data-testid="totp-secret">{secret}</code>
        </p>
        <label for="code">{ct('setup.code')}</label>
        <input id="code" name="code" inputMode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxLength={6} aria-invalid={codeProblem.id ? 'true' : undefined} aria-describedby={codeProblem.id} />
        <ProblemText problem={codeProblem} />
        <button type="submit">{ct('setup.submit')}</button>
      </form>
    </ConsolePage>
  );
}

function ResetPage({ token, email, problems = [] }: { token: string; email: string; problems?: FieldError[] }): VNode {
  return (
    <ConsolePage title={ct('reset.title')}>
      {problems.length > 0 && <Notice kind="problem">{ct('reset.fix')}</Notice>}
      <p>{ct('reset.intro', { email })}</p>
      <form method="post" action={href.reset} class="stack narrow">
        <input type="hidden" name="token" value={token} />
        {/* The account's email, for password managers to file the new password under. */}
        <input type="hidden" name="username" autocomplete="username" value={email} />
        <NewPasswordField label={ct('reset.password')} problems={problems} />
        <button type="submit">{ct('reset.submit')}</button>
      </form>
    </ConsolePage>
  );
}
