/**
 * Signing a report at the moment it is frozen for sending: one capture manifest per item the extension captured,
 * signed, and the public key alongside. Items typed in by hand or uploaded have nothing the extension witnessed, so
 * they are not vouched for.
 *
 * Every copy of a report that leaves the computer is frozen by `signedCopy`: one per organisation, each with its own
 * report id (which is also its idempotency key there), and the person's own for evidence packs, under the id of their
 * draft, which no organisation receives; each with its own key pair, made for it and dropped once it is signed. Two copies, of one report or of two, share nothing the software
 * made up; only what the person wrote and captured, and the constants of the schema, this build and the browser's
 * family and major version (docs/design.md, "Signing without linking").
 */
import { newSigningKey, type SigningKey } from '../integrity/keys';
import { buildManifest, signManifest } from '../integrity/manifest';
import type { CaptureManifest, EncryptionKey, Report } from '../schema';
import { withSealedPersonal } from './seal-personal';

/** Signs `report`'s captured items with `key`; a report with no captured item comes back as it was. */
export async function signReport(report: Report, key: Pick<SigningKey, 'privateKey' | 'publicJwk'>, browser: string): Promise<Report> {
  const manifests: CaptureManifest[] = [];
  for (const [itemIndex, item] of report.items.entries()) {
    if (item.captureMethod !== 'extension') continue;
    const manifest = await buildManifest({
      itemIndex,
      pageUrl: item.url,
      capturedAt: item.capturedAt,
      tool: report.client,
      browser,
      evidence: item.evidence,
      ...(item.text !== undefined ? { text: item.text } : {}),
    });
    manifests.push(await signManifest(manifest, key.privateKey));
  }
  return manifests.length ? { ...report, captureManifests: manifests, publicKey: key.publicJwk } : report;
}

/**
 * One copy of `report` for one recipient: the id `id`, the reporter's personal data sealed to `sealTo` (the
 * recipient's published key, when it has one), and signed with a key pair made here for this copy alone. The
 * private key goes out of scope when this returns; nothing keeps it. Store the result and send it as it is: a resend
 * must be byte-identical, and signing again would not be (ECDSA signatures are randomised).
 */
export async function signedCopy(report: Report, id: string, browser: string, sealTo?: EncryptionKey): Promise<Report> {
  const { captureManifests: _manifests, publicKey: _key, ...unsigned } = report;
  // Sealed after the id is set: the sealed block is bound to this copy's id, so it opens in no other report.
  const copy: Report = await withSealedPersonal({ ...unsigned, id }, sealTo);
  if (!copy.items.some((item) => item.captureMethod === 'extension')) return copy;
  return signReport(copy, await newSigningKey(), browser);
}
