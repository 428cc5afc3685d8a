/**
 * /console/account: a moderator's own account — for now, the optional second factor. Setting it up shows a new secret
 * as a QR code (drawn as SVG rectangles on the server: no script, no image request) and as text, and takes effect only
 * once a code from the app proves the app has it. Turning it off takes a current code too.
 */
import { Hono, type Context } from 'hono';
import type { VNode } from 'preact';
import { encode } from 'uqr';
import { z } from 'zod';
import { ct, type ConsoleKey } from '../../../lib/i18n/console';
import { getCookie } from 'hono/cookie';
import { sha256Hex } from '../../hash';
import { COOKIE, formBody, requireCsrf, requireModerator, sessionOf, type ConsoleApp, type ConsoleDeps, type ConsoleEnv } from '../auth/guard';
import { ConsolePage, CsrfField, Notice, render, type SessionView } from '../shared/layout';
import { href } from '../shared/links';
import { setTotp } from '../auth/accounts';
import { newTotpSecret, totpUri } from '../auth/totp';

const FLASH: Record<string, { kind: 'problem' | 'done'; key: ConsoleKey }> = {
  on: { kind: 'done', key: 'account.totpOn' },
  off: { kind: 'done', key: 'account.totpOff' },
  wrong_code: { kind: 'problem', key: 'account.wrongCode' },
  wrong_password: { kind: 'problem', key: 'account.wrongPassword' },
  already_on: { kind: 'problem', key: 'account.alreadyOn' },
};

const Base32Secret = z.string().regex(/^[A-Z2-7]{32}$/);
const EnableForm = z.object({ secret: Base32Secret, code: z.string().max(16), password: z.string().max(1_024).default('') });
const DisableForm = z.object({ code: z.string().max(16) });

export function accountRoutes(deps: ConsoleDeps): ConsoleApp {
  const routes = new Hono<ConsoleEnv>();
  const now = deps.now ?? (() => new Date());
  const signedIn = requireModerator(deps);
  const csrf = requireCsrf(deps);
  const back = (c: Context, word: string) => c.redirect(`${href.account}?${word === 'on' || word === 'off' ? 'done' : 'problem'}=${word}`, 303);
  /** The SHA-256 of this request's session token: the session that makes a change is the one kept. */
  const thisSession = async (c: Context) => sha256Hex(getCookie(c, COOKIE, 'host') ?? '');

  routes.get('/account', signedIn, async (c) => {
    const moderator = c.get('moderator');
    const [row] = await deps.db.query<{ totp: boolean }>('SELECT totp_secret IS NOT NULL AS totp FROM moderators WHERE id = $1', [moderator.id]);
    const flash = FLASH[c.req.query('done') ?? c.req.query('problem') ?? ''];
    const secret = row?.totp ? undefined : newTotpSecret();
    return render(c, <AccountPage session={sessionOf(c)} secret={secret} issuer={deps.config.name} flash={flash} />);
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
}

function AccountPage({ session, secret, issuer, flash }: AccountPageProps): VNode {
  return (
    <ConsolePage title={ct('account.title')} session={session} current="account">
      {flash && <Notice kind={flash.kind}>{ct(flash.key)}</Notice>}
      <section aria-labelledby="totp-heading">
        <h2 id="totp-heading">{ct('account.totpHeading')}</h2>
        {secret ? (
          <>
            <p data-testid="totp-state">{ct('account.totpIsOff')}</p>
            <p>{ct('account.totpHow')}</p>
            <QrCode text={totpUri(secret, session.moderator.email, issuer)} />
            <p>
              {ct('account.totpSecret')} <code data-testid="totp-secret">{secret}</code>
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
    </ConsolePage>
  );
}

/** The QR code as one SVG path of unit squares; the secret is also written out beside it for typing in. */
function QrCode({ text }: { text: string }): VNode {
  const { data, size } = encode(text, { border: 2 });
  const squares = data.flatMap((row, y) => row.map((dark, x) => (dark ? `M${x} ${y}h1v1h-1z` : ''))).join('');
  return (
    <svg class="qr" viewBox={`0 0 ${size} ${size}`} width={size * 5} height={size * 5} role="img" aria-label={ct('account.qrLabel')} shape-rendering="crispEdges">
      <rect width={size} height={size} fill="#fff" />
      <path d={squares} fill="#000" />
    </svg>
  );
}
