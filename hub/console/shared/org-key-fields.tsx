/**
 * The fields where a moderator gives the organisation's key (issue 23), read by org-key-unlock.ts in their browser.
 * Shared by every console page that opens sealed contact details, and by the admin's page that gives a colleague
 * access. The inputs have no `name`: a form sent without the script carries none of them.
 *
 * A page that passes the signed-in moderator's `access` (hub/domain/key-access.ts `ownAccessOf`) offers their own
 * passphrase first when they have been given access, with the key file behind "Use the organisation's key file
 * instead"; otherwise, and on a page that passes nothing, the key file and its passphrase, as before.
 */
import type { VNode } from 'preact';
import { ct } from '../../../lib/i18n/console';
import type { OwnAccess } from '../../domain/key-access';
import { href } from './links';
import { FIELD_IDS, type KeyProblemName, type OwnAccessData } from './org-key-unlock';

/** The words for each way unlocking can fail, as `data-msg-<name>` attributes for the page's script. */
export const KEY_MESSAGES = {
  'no-file': 'sealed.problem.noFile',
  'not-key-file': 'sealed.problem.notKeyFile',
  'other-key': 'sealed.problem.otherKey',
  passphrase: 'sealed.problem.passphrase',
  'no-own-passphrase': 'keyAccess.problem.noOwnPassphrase',
  'own-passphrase': 'keyAccess.problem.ownPassphrase',
  'no-access': 'keyAccess.problem.noAccess',
} as const satisfies Record<KeyProblemName, string>;

interface Props {
  /** The signed-in moderator's own key and grants; null: they have none; left out: the page offers only the key file. */
  access?: OwnAccess | null | undefined;
  /** The organisation key the page needs, when there is one: without a grant for it, the key file comes first. */
  kid?: string | undefined;
}

export function OrgKeyFields({ access, kid }: Props = {}): VNode {
  const granted = access ? access.grants.filter((grant) => kid === undefined || grant.orgKey.kid === kid) : [];
  if (!access || granted.length === 0) {
    return (
      <div id={FIELD_IDS.box}>
        {access === null && (
          <p class="hint" data-testid="own-key-none">
            {ct('keyAccess.fieldsNoKey')} <a href={href.accountKey}>{ct('keyAccess.fieldsSetUp')}</a>
          </p>
        )}
        {access && kid !== undefined && (
          <p class="hint" data-testid="own-key-no-grant">
            {ct('keyAccess.fieldsNoGrant', { kid })}
          </p>
        )}
        <FileFields />
      </div>
    );
  }
  const data: OwnAccessData = {
    holder: access.holder,
    publicJwk: access.publicJwk,
    wrapped: access.wrapped,
    grants: access.grants.map(({ orgKey, sealed }) => ({ orgKey, sealed })),
  };
  return (
    <div id={FIELD_IDS.box} data-own-access={JSON.stringify(data)}>
      <p>
        <label for={FIELD_IDS.own}>{ct('keyAccess.ownPassphrase')}</label>
        <br />
        <span class="hint" id="own-key-passphrase-hint">
          {ct('keyAccess.ownPassphraseHint')}
        </span>
        <br />
        <input type="password" id={FIELD_IDS.own} autocomplete="off" spellcheck={false} aria-describedby="own-key-passphrase-hint" />
      </p>
      <details id={FIELD_IDS.fileChoice} class="key-file-choice">
        <summary>{ct('keyAccess.useFile')}</summary>
        <FileFields />
      </details>
    </div>
  );
}

/** The organisation's key file and its passphrase. */
function FileFields(): VNode {
  return (
    <>
      <p>
        <label for={FIELD_IDS.file}>{ct('sealed.file')}</label>
        <br />
        <span class="hint" id="org-key-file-hint">
          {ct('sealed.fileHint')}
        </span>
        <br />
        <input type="file" id={FIELD_IDS.file} accept=".json,application/json" aria-describedby="org-key-file-hint" />
      </p>
      <p>
        <label for={FIELD_IDS.passphrase}>{ct('sealed.passphrase')}</label>
        <br />
        <input type="password" id={FIELD_IDS.passphrase} autocomplete="off" spellcheck={false} />
      </p>
    </>
  );
}
