/**
 * The pages of moderators' own access to sealed contact details (issue 23): a moderator's own key (set up or
 * replace it), the admins' list of who has access, and the page where an admin gives a colleague access. The server
 * renders the words and the forms; setup.ts and give.ts, bundled for the browser, do the key work. Without them each
 * page says, in words, why it needs script: keys are made and opened on the moderator's computer, never on the hub.
 * What a script needs rides on its form's data attributes (Preact escapes them), every word among them.
 */
import type { VNode } from 'preact';
import { ct, type ConsoleKey } from '../../../lib/i18n/console';
import type { EncryptionKey, PublicKeyJwk } from '../../../lib/schema';
import type { AccessRow, OwnAccess } from '../../domain/key-access';
import { personLabel } from '../../domain/people';
import { KeyAccessStatus } from '../shared/key-access-status';
import { ConsolePage, CsrfField, formatTime, Notice, type SessionView } from '../shared/layout';
import { href } from '../shared/links';
import { KEY_MESSAGES, OrgKeyFields } from '../shared/org-key-fields';

/** The scripts' addresses (routes.tsx serves them). */
export const SETUP_SCRIPT = `${href.home}/key-setup.js`;
export const GIVE_SCRIPT = `${href.home}/key-give.js`;

/** At least this many characters: the passphrase is all that protects the wrapped key the hub keeps. */
export const OWN_PASSPHRASE_MIN = 12;

export const giveHref = (moderatorId: string, kid: string): string => `${href.adminKeyAccess}/${moderatorId}?kid=${encodeURIComponent(kid)}`;
export const grantHref = (moderatorId: string): string => `${href.adminKeyAccess}/${moderatorId}/grant`;
export const removeHref = (moderatorId: string): string => `${href.adminKeyAccess}/${moderatorId}/remove`;

export type Flash = { kind: 'problem' | 'done'; key: ConsoleKey; values?: Record<string, string> };

const words = (messages: Record<string, ConsoleKey>, values: Record<string, string> = {}) =>
  Object.fromEntries(Object.entries(messages).map(([name, key]) => [`data-msg-${name}`, ct(key, values)]));

/** The notice shown until the page's script has started (and instead of it, without script). */
function NeedsScript({ what }: { what: ConsoleKey }): VNode {
  return (
    <div class="notice problem" data-needs-script data-testid="needs-script">
      <p>{ct(what)}</p>
    </div>
  );
}

/** Where a script says how it went: a problem (alert) or progress (status). */
function Outcome(): VNode {
  return (
    <>
      <div id="key-problem" class="notice problem" role="alert" hidden />
      <div id="key-status" role="status" />
    </>
  );
}

const SETUP_MESSAGES = {
  'too-short': 'keyAccess.problem.tooShort',
  mismatch: 'keyAccess.problem.mismatch',
  'not-saved': 'keyAccess.problem.notSaved',
  making: 'keyAccess.making',
} as const satisfies Record<string, ConsoleKey>;

interface OwnKeyProps {
  session: SessionView;
  access: OwnAccess | undefined;
  current: EncryptionKey | undefined;
  flash: Flash | undefined;
}

/** /console/account/sealed-access: the moderator's own key, set up or replaced in their browser. */
export function OwnKeyPage({ session, access, current, flash }: OwnKeyProps): VNode {
  const replacing = access !== undefined;
  return (
    <ConsolePage title={ct('keyAccess.title')} session={session} current="account" scripts={[SETUP_SCRIPT]}>
      {flash && <Notice kind={flash.kind}>{ct(flash.key, flash.values)}</Notice>}
      <p>
        <a href={href.account}>{ct('keyAccess.backToAccount')}</a>
      </p>
      <p>{ct('keyAccess.intro')}</p>
      <KeyAccessStatus access={access} current={current} />
      <section aria-labelledby="own-key-heading">
        <h2 id="own-key-heading">{ct(replacing ? 'keyAccess.replaceHeading' : 'keyAccess.setUpHeading')}</h2>
        <p>{ct('keyAccess.howItWorks')}</p>
        {replacing && (
          <p class="notice problem" data-testid="replace-warning">
            {ct('keyAccess.replaceWarning')}
          </p>
        )}
        <NeedsScript what="keyAccess.needsScript" />
        <form id="key-setup" class="stack narrow" hidden data-save={href.accountKey} data-done={`${href.accountKey}?done=${replacing ? 'replaced' : 'set'}`} data-min={OWN_PASSPHRASE_MIN} {...words(SETUP_MESSAGES, { min: String(OWN_PASSPHRASE_MIN) })}>
          <CsrfField />
          <label for="own-passphrase">{ct('keyAccess.newPassphrase')}</label>
          <p id="own-passphrase-hint" class="hint">
            {ct('keyAccess.newPassphraseHint', { min: OWN_PASSPHRASE_MIN })}
          </p>
          <input id="own-passphrase" type="password" autocomplete="new-password" maxLength={1024} aria-describedby="own-passphrase-hint" />
          <label for="own-passphrase-again">{ct('keyAccess.newPassphraseAgain')}</label>
          <input id="own-passphrase-again" type="password" autocomplete="new-password" maxLength={1024} />
          <button type="submit" class={replacing ? 'danger' : undefined}>
            {ct(replacing ? 'keyAccess.replaceSubmit' : 'keyAccess.setUpSubmit')}
          </button>
        </form>
        <Outcome />
      </section>
    </ConsolePage>
  );
}

interface AccessListProps {
  session: SessionView;
  accounts: AccessRow[];
  /** The key the hub publishes now, and every older kid a grant names. */
  current: EncryptionKey | undefined;
  kids: string[];
  flash: Flash | undefined;
}

/** /console/admin/sealed-access: who has set up a key, who has access to which organisation key; give or remove it. */
export function AccessListPage({ session, accounts, current, kids, flash }: AccessListProps): VNode {
  const known = [...new Set([...(current ? [current.kid] : []), ...kids])];
  return (
    <ConsolePage title={ct('keyAccess.adminTitle')} session={session} current="admin">
      {flash && <Notice kind={flash.kind}>{ct(flash.key, flash.values)}</Notice>}
      <p>
        <a href={href.admin}>{ct('admin.back')}</a>
      </p>
      <p>{ct('keyAccess.adminIntro')}</p>
      <p>{current ? ct('keyAccess.adminCurrent', { kid: current.kid }) : ct('keyAccess.noCurrentKey')}</p>
      <table>
        <thead>
          <tr>
            <th scope="col">{ct('admin.email')}</th>
            <th scope="col">{ct('keyAccess.colKey')}</th>
            <th scope="col">{ct('keyAccess.colAccess')}</th>
            <th scope="col">{ct('admin.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {accounts.map((account) => (
            <AccessRowView account={account} known={known} current={current?.kid} />
          ))}
        </tbody>
      </table>
      <p>{ct('keyAccess.adminRemoval')}</p>
    </ConsolePage>
  );
}

function AccessRowView({ account, known, current }: { account: AccessRow; known: string[]; current: string | undefined }): VNode {
  const who = personLabel({ email: account.email, displayName: account.name });
  const kidLabel = (kid: string) => (kid === current ? ct('keyAccess.kidCurrent', { kid }) : kid);
  const missing = account.hasKey && !account.disabled ? known.filter((kid) => !account.kids.includes(kid)) : [];
  return (
    <tr data-testid="key-access-row">
      <td>
        {who}
        {account.disabled && <span class="hint"> {ct('admin.disabled')}</span>}
      </td>
      <td>{account.keySetAt ? ct('keyAccess.keySetOn', { at: formatTime(account.keySetAt) }) : ct('keyAccess.keyNotSet')}</td>
      <td>{account.kids.length > 0 ? account.kids.map(kidLabel).join(', ') : ct('keyAccess.none')}</td>
      <td>
        {missing.map((kid) => (
          <a class="button" href={giveHref(account.id, kid)}>
            {ct('keyAccess.give', { who, kid })}
          </a>
        ))}
        {account.kids.map((kid) => (
          <form method="post" action={removeHref(account.id)} class="inline">
            <CsrfField />
            <input type="hidden" name="kid" value={kid} />
            <button type="submit">{ct('keyAccess.remove', { who, kid })}</button>
          </form>
        ))}
      </td>
    </tr>
  );
}

const GIVE_MESSAGES = {
  ...KEY_MESSAGES,
  giving: 'keyAccess.giving',
  'not-saved': 'keyAccess.problem.notSaved',
  no_key: 'keyAccess.problem.noKey',
  key_changed: 'keyAccess.problem.keyChanged',
  other_key: 'keyAccess.problem.otherOrgKey',
  not_found: 'admin.notFound',
} as const satisfies Record<string, ConsoleKey>;

interface GiveProps {
  session: SessionView;
  colleague: { id: string; label: string; publicJwk: PublicKeyJwk };
  kid: string;
  /** The admin's own key and grants, so they may unlock with their own passphrase. */
  own: OwnAccess | null;
}

/** /console/admin/sealed-access/:id?kid=: the admin opens the organisation key here and seals it to the colleague. */
export function GivePage({ session, colleague, kid, own }: GiveProps): VNode {
  const values = { who: colleague.label, kid };
  return (
    <ConsolePage title={ct('keyAccess.giveTitle', values)} session={session} current="admin" scripts={[GIVE_SCRIPT]}>
      <p>
        <a href={href.adminKeyAccess}>{ct('keyAccess.backToList')}</a>
      </p>
      <p>{ct('keyAccess.giveIntro', values)}</p>
      <p>{ct('keyAccess.giveStays')}</p>
      <NeedsScript what="keyAccess.giveNeedsScript" />
      <form
        id="key-give"
        class="sealed-open"
        hidden
        data-kid={kid}
        data-holder={colleague.id}
        data-recipient={JSON.stringify(colleague.publicJwk)}
        data-grant={grantHref(colleague.id)}
        data-done={`${href.adminKeyAccess}?done=granted`}
        {...words(GIVE_MESSAGES, values)}
      >
        <CsrfField />
        <OrgKeyFields access={own} kid={kid} />
        <button type="submit">{ct('keyAccess.giveSubmit', values)}</button>
      </form>
      <Outcome />
    </ConsolePage>
  );
}
