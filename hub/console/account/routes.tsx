/**
 * /console/account: a moderator's own account: their password (the current one is needed to change it, and every
 * other session of the account then ends) and the optional second factor. Setting it up shows a new secret
 * as a QR code (drawn as SVG rectangles on the server: no script, no image request) and as text, and takes effect only
 * once a code from the app proves the app has it. Turning it off takes a current code too. Whether the moderator can
 * open sealed contact details with a passphrase of their own, with a link to set up their key (hub/console/key-access).
 */
import { Hono, type Context } from 'hono';
import type { VNode } from 'preact';
import { z } from 'zod';
import { ct, type ConsoleKey } from '../../../lib/i18n/console';
import { getCookie } from 'hono/cookie';
import { sha256Hex } from '../../hash';
import { COOKIE, formBody, requireCsrf, requireModerator, sessionOf, type ConsoleApp, type ConsoleDeps, type ConsoleEnv } from '../auth/guard';
import { ConsolePage, CsrfField, Notice, render, type SessionView } from '../shared/layout';
import { href } from '../shared/links';
import { QrCode } from '../shared/qr';
import { changePassword, setTotp } from '../auth/accounts';
import { signInThrottle } from '../auth/throttle';
import { clientAddress } from '../../http';
import { NewPassword, PASSWORD_MIN } from '../auth/password';
import { fieldErrors, type FieldError } from '../../../lib/schema';
import { newTotpSecret, totpUri } from '../auth/totp';
import { DisplayName, displayNameOf, setDisplayName } from '../../domain/people';
import { ownAccessOf, type OwnAccess } from '../../domain/key-access';
import { KeyAccessStatus } from '../shared/key-access-status';
import type { EncryptionKey } from '../../../lib/schema';

const FLASH: Record<string, { kind: 'problem' | 'done'; key: ConsoleKey }> = {
  on: { kind: 'done', key: 'account.totpOn' },
  off: { kind: 'done', key: 'account.totpOff' },
  wrong_code: { kind: 'problem', key: 'account.wrongCode' },
  wrong_password: { kind: 'problem', key: 'account.wrongPassword' },
  already_on: { kind: 'problem', key: 'account.alreadyOn' },
  password: { kind: 'done', key: 'account.passwordChanged' },
  name: { kind: 'done', key: 'account.nameSaved' },
  bad_name: { kind: 'problem', key: 'account.nameInvalid' },
};

const Base32Secret = z.string().regex(/^[A-Z2-7]{32}$/);
const EnableForm = z.object({ secret: Base32Secret, code: z.string().max(16), password: z.string().max(1_024).default('') });
const DisableForm = z.object({ code: z.string().max(16) });
const PasswordForm = z.object({ current: z.string().max(1_024), password: NewPassword });
const NameForm = z.object({ name: DisplayName });

export function accountRoutes(deps: ConsoleDeps): ConsoleApp {
  const routes = new Hono<ConsoleEnv>();
  const now = deps.now ?? (() => new Date());
  const signedIn = requireModerator(deps);
  const csrf = requireCsrf(deps);
  const back = (c: Context, word: string) => c.redirect(`${href.account}?${['on', 'off', 'password', 'name'].includes(word) ? 'done' : 'problem'}=${word}`, 303);
  /** The SHA-256 of this request's session token: the session that makes a change is the one kept. */
  const thisSession = async (c: Context) => sha256Hex(getCookie(c, COOKIE, 'host') ?? '');

  // Wrong current passwords count as wrong sign-in tries for the account (shared with the sign-in page's throttle), so
  // a session left open cannot be used to guess the password any faster than the sign-in page allows.
  const { ipv6PrefixLength, store, clientIpHeader } = deps.config.rateLimit;
  const throttle = signInThrottle(deps.db, store, { ...deps.config.console, ipv6PrefixLength }, () => now().getTime(), deps.logger);
  const page = async (c: Context<ConsoleEnv>, problems: FieldError[] = [], status: 200 | 422 | 429 = 200) => {
    const [row] = await deps.db.query<{ totp: boolean }>('SELECT totp_secret IS NOT NULL AS totp FROM moderators WHERE id = $1', [c.get('moderator').id]);
    const flash = FLASH[c.req.query('done') ?? c.req.query('problem') ?? ''];
    const secret = row?.totp ? undefined : newTotpSecret();
    const name = await displayNameOf(deps.db, c.get('moderator').id);
    const keyAccess = { access: await ownAccessOf(deps.db, c.get('moderator').id), current: deps.config.encryptionKey };
    return render(c, <AccountPage session={sessionOf(c)} secret={secret} issuer={deps.config.name} flash={flash} problems={problems} name={name} keyAccess={keyAccess} />, status);
  };

  routes.get('/account', signedIn, (c) => page(c));

  routes.post('/account/password', signedIn, csrf, async (c: Context<ConsoleEnv>) => {
    const form = PasswordForm.safeParse(await formBody(c));
    if (!form.success) return page(c, fieldErrors(form.error).map((entry) => (entry.path === 'current' ? { ...entry, message: ct('account.wrongPassword') } : entry)), 422);
    const { id, email } = c.get('moderator');
    const address = clientAddress(c, clientIpHeader) ?? 'unknown';
    const wait = await throttle.wait(email, address);
    if (wait > 0) {
      c.header('Retry-After', String(wait));
      return page(c, [{ path: 'current', message: ct('signIn.slowDown', { seconds: wait }) }], 429);
    }
    const result = await changePassword(deps.db, id, form.data.current, form.data.password, await thisSession(c));
    if (result !== 'done') {
      await throttle.failed(email, address);
      return page(c, [{ path: 'current', message: ct('account.wrongPassword') }], 422);
    }
    await throttle.succeeded(email, address);
    return back(c, 'password');
  });

  // The name colleagues see in the audit trail; empty: shown by email.
  routes.post('/account/name', signedIn, csrf, async (c: Context<ConsoleEnv>) => {
    const form = NameForm.safeParse(await formBody(c));
    if (!form.success) return back(c, 'bad_name');
    await setDisplayName(deps.db, c.get('moderator').id, form.data.name);
    return back(c, 'name');
  });

  routes.post('/account/totp', signedIn, csrf, async (c: Context<ConsoleEnv>) => {
    const form = EnableForm.safeParse(await formBody(c));
    if (!form.success) return back(c, 'wrong_code');
    const result = await setTotp(deps.db, c.get('moderator').id, { on: true, secret: form.data.secret, password: form.data.password }, form.data.code, now(), await thisSession(c), deps.totpKey);
    return back(c, result === 'done' ? 'on' : result);
  });

  routes.post('/account/totp/off', signedIn, csrf, async (c: Context<ConsoleEnv>) => {
    const form = DisableForm.safeParse(await formBody(c));
    if (!form.success) return back(c, 'wrong_code');
    const result = await setTotp(deps.db, c.get('moderator').id, { on: false }, form.data.code, now(), await thisSession(c), deps.totpKey);
    return back(c, result === 'done' ? 'off' : result);
  });
  return routes;
}

interface AccountPageProps {
  session: SessionView;
  /** A fresh secret to set up with; undefined when the second factor is already on. */
  secret: string | undefined;
  issuer: string;
  flash: { kind: 'problem' | 'done'; key: ConsoleKey } | undefined;
  /** What was wrong with a password change just posted. */
  problems: FieldError[];
  /** The name the moderator gave themselves, if any. */
  name: string | null;
  /** Their own key for sealed contact details and the organisation key the hub publishes (hub/console/key-access). */
  keyAccess: { access: OwnAccess | undefined; current: EncryptionKey | undefined };
}

function AccountPage({ session, secret, issuer, flash, problems, name, keyAccess }: AccountPageProps): VNode {
  return (
    <ConsolePage title={ct('account.title')} session={session} current="account">
      {flash && <Notice kind={flash.kind}>{ct(flash.key)}</Notice>}
      <p>
        <a href={href.accountWellbeing}>{ct('wellbeing.link')}</a>
      </p>
      <section aria-labelledby="name-heading">
        <h2 id="name-heading">{ct('account.nameHeading')}</h2>
        <form method="post" action={`${href.account}/name`} class="stack narrow">
          <CsrfField />
          <label for="display-name">{ct('account.name')}</label>
          <p id="display-name-hint" class="hint">
            {ct('account.nameHint')}
          </p>
          <input id="display-name" name="name" autocomplete="name" maxLength={80} value={name ?? ''} aria-describedby="display-name-hint" />
          <button type="submit">{ct('account.nameSave')}</button>
        </form>
      </section>
      <PasswordSection problems={problems} email={session.moderator.email} />
      <section aria-labelledby="totp-heading">
        <h2 id="totp-heading">{ct('account.totpHeading')}</h2>
        {secret ? (
          <>
            <p data-testid="totp-state">{ct('account.totpIsOff')}</p>
            <p>{ct('account.totpHow')}</p>
            <QrCode text={totpUri(secret, session.moderator.email, issuer)} label={ct('account.qrLabel')} />
            <p>
              {ct('account.totpSecret')} <code class="key" data-testid="totp-secret">{secret}</code>
            </p>
            <form method="post" action={`${href.account}/totp`} class="stack narrow">
              <CsrfField />
              <input type="hidden" name="secret" value={secret} />
              <label for="password">{ct('account.password')}</label>
              <input id="password" name="password" type="password" autocomplete="current-password" required maxLength={1024} />
              <label for="code">{ct('account.code')}</label>
              <input id="code" name="code" inputMode="numeric" autocomplete="one-time-code" required pattern="[0-9]{6}" maxLength={6} />
              <button type="submit">{ct('account.totpEnable')}</button>
            </form>
          </>
        ) : (
          <>
            <p data-testid="totp-state">{ct('account.totpIsOn')}</p>
            <form method="post" action={`${href.account}/totp/off`} class="stack narrow">
              <CsrfField />
              <label for="code">{ct('account.code')}</label>
              <input id="code" name="code" inputMode="numeric" autocomplete="one-time-code" required pattern="[0-9]{6}" maxLength={6} />
              <button type="submit">{ct('account.totpDisable')}</button>
            </form>
          </>
        )}
      </section>
      <section aria-labelledby="key-access-heading">
        <h2 id="key-access-heading">{ct('keyAccess.title')}</h2>
        <KeyAccessStatus access={keyAccess.access} current={keyAccess.current} />
        <p>
          <a href={href.accountKey}>{ct(keyAccess.access ? 'keyAccess.manageLink' : 'keyAccess.setUpLink')}</a>
        </p>
      </section>
    </ConsolePage>
  );
}

/** Changing one's own password: the current one, then the new one under the same rules as every account's. */
function PasswordSection({ problems, email }: { problems: FieldError[]; email: string }): VNode {
  const problem = (path: string) => problems.filter((entry) => entry.path === path).map((entry) => entry.message).join(' ');
  const invalid = (path: string) => (problem(path) ? 'true' : undefined);
  return (
    <section aria-labelledby="password-heading">
      <h2 id="password-heading">{ct('account.passwordHeading')}</h2>
      {problems.length > 0 && <Notice kind="problem">{ct('account.passwordFix')}</Notice>}
      <form method="post" action={`${href.account}/password`} class="stack narrow">
        <CsrfField />
        {/* The account's email, for password managers to file the new password under. */}
        <input type="hidden" name="username" autocomplete="username" value={email} />
        <label for="current">{ct('account.currentPassword')}</label>
        <input id="current" name="current" type="password" autocomplete="current-password" required maxLength={1024} aria-invalid={invalid('current')} aria-describedby={problem('current') ? 'current-problem' : undefined} />
        {problem('current') && <p id="current-problem" class="field-problem">{problem('current')}</p>}
        <label for="new-password">{ct('account.newPassword')}</label>
        <p id="new-password-hint" class="hint">
          {ct('account.newPasswordHint', { min: PASSWORD_MIN })}
        </p>
        <input id="new-password" name="password" type="password" autocomplete="new-password" required minLength={PASSWORD_MIN} maxLength={256} aria-invalid={invalid('password')} aria-describedby={['new-password-hint', problem('password') ? 'new-password-problem' : ''].filter(Boolean).join(' ')} />
        {problem('password') && <p id="new-password-problem" class="field-problem">{problem('password')}</p>}
        <button type="submit">{ct('account.changePassword')}</button>
      </form>
    </section>
  );
}
