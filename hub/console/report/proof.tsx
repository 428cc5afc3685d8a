/**
 * The report view's read-only "Receipt and trusted timestamps" section: the SHA-256 of the report as received (what
 * the hub's receipt and every timestamp vouch for) and, per timestamp authority, the token's time and serial number
 * once given, or how often it has been asked and what it last answered. Loaded with the report (load.ts).
 */
import type { VNode } from 'preact';
import { ct } from '../../../lib/i18n/console';
import type { Queryable } from '../../db';
import { timestampsOf, type StoredTimestamp } from '../../domain/timestamps';
import { formatTime } from '../shared/layout';

export interface CaptureProofData {
  reportSha256: string;
  timestamps: StoredTimestamp[];
}

export async function captureProofOf(db: Queryable, reference: string): Promise<CaptureProofData | undefined> {
  const [row] = await db.query<{ body_sha256: string }>('SELECT body_sha256 FROM reports WHERE reference = $1', [reference]);
  return row ? { reportSha256: row.body_sha256, timestamps: await timestampsOf(db, reference) } : undefined;
}

function state(stamp: StoredTimestamp): string {
  if (stamp.state === 'granted') return ct('proof.granted');
  if (stamp.attempts === 0) return ct('proof.waiting');
  const retrying = ct('proof.retrying', { attempts: stamp.attempts, next: formatTime(stamp.nextAttemptAt) });
  return stamp.lastError ? `${retrying}. ${ct('proof.lastError', { error: stamp.lastError })}` : retrying;
}

export function CaptureProof({ proof }: { proof: CaptureProofData | undefined }): VNode | null {
  if (!proof) return null;
  return (
    <section aria-labelledby="proof-heading" data-testid="capture-proof">
      <h2 id="proof-heading">{ct('proof.heading')}</h2>
      <p class="hint">{ct('proof.intro')}</p>
      <dl class="fields">
        <dt>{ct('proof.reportHash')}</dt>
        <dd>
          <code>{proof.reportSha256}</code>
        </dd>
      </dl>
      {proof.timestamps.length === 0 ? (
        <p>{ct('proof.none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{ct('proof.authority')}</th>
              <th scope="col">{ct('proof.state')}</th>
              <th scope="col">{ct('proof.time')}</th>
              <th scope="col">{ct('proof.serial')}</th>
            </tr>
          </thead>
          <tbody>
            {proof.timestamps.map((stamp) => (
              <tr key={stamp.tsaUrl}>
                <th scope="row">
                  {stamp.tsa ?? stamp.tsaUrl}
                  {stamp.tsa && (
                    <>
                      <br />
                      <code>{stamp.tsaUrl}</code>
                    </>
                  )}
                </th>
                <td>{state(stamp)}</td>
                <td>{stamp.genTime ? formatTime(stamp.genTime) : ''}</td>
                <td>{stamp.serial ? <code>{stamp.serial}</code> : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
