/**
 * Capture manifests: per item, the SHA-256 of every artefact (screenshots, the HTML snapshot, the captured text), the
 * capture time, page URL, tool and browser (family and major version only) — signed over the manifest's canonical JSON
 * (without `signature`) with the key made for the one copy of the report it travels in (`keys.ts`). ECDSA P-256 with
 * SHA-256; WebCrypto's signature is raw r‖s (64 bytes), sent as base64url (86 chars).
 */
import { sha256Hex } from '../hash';
import { CaptureManifest, type Evidence, type PublicKeyJwk } from '../schema';
import { base64url, canonicalJson, fromBase64url } from './canonical';
import { ECDSA_P256, ECDSA_SHA256 } from './keys';

export interface ManifestInput {
  itemIndex: number;
  pageUrl: string;
  capturedAt: string;
  tool: { app: string; version: string };
  /** The browser by family and major version ("Chrome 131"), never its full user-agent string. */
  browser: string;
  /** The item's evidence entries (their hashes are already computed from the stored bytes). */
  evidence: ReadonlyArray<Pick<Evidence, 'sha256' | 'kind' | 'hidden'>>;
  /** The item's captured text, exactly as it appears in the report. */
  text?: string;
}

/** The unsigned manifest for one item. Throws if the result would not pass the schema (a bug, not page content). */
export async function buildManifest(input: ManifestInput): Promise<CaptureManifest> {
  // Hidden areas are signed with the picture's hash: the manifest says what was blacked out, and where.
  const artefacts: CaptureManifest['artefacts'] = input.evidence.map(({ sha256, kind, hidden }) => ({ sha256, kind, ...(hidden ? { hidden } : {}) }));
  if (input.text !== undefined) artefacts.push({ sha256: await sha256Hex(input.text), kind: 'text' });
  return CaptureManifest.parse({
    itemIndex: input.itemIndex,
    pageUrl: input.pageUrl,
    capturedAt: input.capturedAt,
    tool: input.tool,
    browser: input.browser.slice(0, 200),
    artefacts,
  });
}

/** The exact bytes that are signed: the canonical JSON of the manifest without its signature. */
export function signedBytes(manifest: CaptureManifest): Uint8Array<ArrayBuffer> {
  const { signature: _signature, ...unsigned } = manifest;
  return new TextEncoder().encode(canonicalJson(unsigned));
}

export async function signManifest(manifest: CaptureManifest, privateKey: CryptoKey): Promise<CaptureManifest> {
  const signature = await crypto.subtle.sign(ECDSA_SHA256, privateKey, signedBytes(manifest));
  return { ...manifest, signature: base64url(new Uint8Array(signature)) };
}

/** True only if the manifest carries a signature that the given public key made over exactly these contents. */
export async function verifyManifest(manifest: CaptureManifest, publicKeyJwk: PublicKeyJwk): Promise<boolean> {
  if (!manifest.signature || !/^[A-Za-z0-9_-]{86}$/.test(manifest.signature)) return false;
  try {
    const key = await crypto.subtle.importKey('jwk', { ...publicKeyJwk, ext: true }, ECDSA_P256, false, ['verify']);
    return await crypto.subtle.verify(ECDSA_SHA256, key, fromBase64url(manifest.signature), signedBytes(manifest));
  } catch {
    return false;
  }
}

/** Does the text in the report still hash to what the manifest vouched for? Undefined when it vouched for no text. */
export async function textMatches(manifest: CaptureManifest, text: string | undefined): Promise<boolean | undefined> {
  const entry = manifest.artefacts.find((artefact) => artefact.kind === 'text');
  if (!entry) return text === undefined ? undefined : false;
  return text !== undefined && (await sha256Hex(text)) === entry.sha256;
}
