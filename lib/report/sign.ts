/**
 * Signing a report at the moment it is frozen for sending: one capture manifest per item the extension captured,
 * signed with the install's key, and the public key alongside. Items typed in by hand or uploaded have nothing the
 * extension witnessed, so they are not vouched for.
 */
import { buildManifest, signManifest } from '../integrity/manifest';
import type { SigningKey } from '../integrity/keys';
import type { CaptureManifest, Report } from '../schema';

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
