/**
 * The fields where a moderator gives the organisation's key (issue 23): the key file and its passphrase, read by
 * org-key-unlock.ts in their browser. The inputs have no `name`: a form sent without the script carries neither.
 * Shared by every console page that opens sealed contact details.
 */
import type { VNode } from 'preact';
import { ct } from '../../../lib/i18n/console';
import type { KeyProblemName } from './org-key-unlock';

/** The words for each way unlocking can fail, as `data-msg-<name>` attributes for the page's script. */
export const KEY_MESSAGES = {
  'no-file': 'sealed.problem.noFile',
  'not-key-file': 'sealed.problem.notKeyFile',
  'other-key': 'sealed.problem.otherKey',
  passphrase: 'sealed.problem.passphrase',
} as const satisfies Record<KeyProblemName, string>;

export function OrgKeyFields(): VNode {
  return (
    <>
      <p>
        <label for="org-key-file">{ct('sealed.file')}</label>
        <br />
        <span class="hint" id="org-key-file-hint">
          {ct('sealed.fileHint')}
        </span>
        <br />
        <input type="file" id="org-key-file" accept=".json,application/json" aria-describedby="org-key-file-hint" />
      </p>
      <p>
        <label for="org-key-passphrase">{ct('sealed.passphrase')}</label>
        <br />
        <input type="password" id="org-key-passphrase" autocomplete="off" spellcheck={false} />
      </p>
    </>
  );
}
