/**
 * Whether the signed-in moderator can open sealed contact details with their own passphrase (hub/domain/key-access.ts):
 * their key, and their access to the organisation key the hub publishes now and to older ones. Shown on their account
 * page and on the page where they set up their key.
 */
import type { VNode } from 'preact';
import { ct } from '../../../lib/i18n/console';
import type { EncryptionKey } from '../../../lib/schema';
import type { OwnAccess } from '../../domain/key-access';
import { formatTime } from './layout';

export function KeyAccessStatus({ access, current }: { access: OwnAccess | undefined; current: EncryptionKey | undefined }): VNode {
  const kids = access?.grants.map((grant) => grant.orgKey.kid) ?? [];
  const older = kids.filter((kid) => kid !== current?.kid);
  return (
    <div data-testid="key-access-status">
      <p>{access ? ct('keyAccess.keySetAt', { at: formatTime(access.createdAt) }) : ct('keyAccess.noKey')}</p>
      <p>
        {!current
          ? ct('keyAccess.noCurrentKey')
          : kids.includes(current.kid)
            ? ct('keyAccess.hasCurrent', { kid: current.kid })
            : access
              ? ct('keyAccess.lacksCurrent', { kid: current.kid })
              : ct('keyAccess.lacksCurrentNoKey', { kid: current.kid })}
      </p>
      {older.length > 0 && <p>{ct('keyAccess.older', { kids: older.join(', ') })}</p>}
    </div>
  );
}
