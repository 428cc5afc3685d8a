/**
 * The hub's signed receipt: when it files a report, the hub signs the reference, the time it received the report, the
 * SHA-256 of the report's canonical JSON and every evidence hash, with a key it publishes in discovery. The reporter
 * keeps it as proof that they reported, what and when. ES256 (ECDSA P-256, SHA-256) through WebCrypto, over the
 * payload's canonical JSON; the signature is raw r‖s in base64url, as the capture manifests' are (`manifest.ts`).
 */
import { sha256Hex } from '../hash';
import { SignedReceipt, type HubPublicKeyJwk, type PublicKeyJwk, type SignedReceiptPayload } from '../schema';
import { base64url, canonicalJson, fromBase64url } from './canonical';
import { ECDSA_P256, ECDSA_SHA256 } from './keys';

/** RFC 7638 JWK thumbprint of an EC public key (SHA-256, base64url): the key's id, the same wherever it is computed. */
export async function jwkThumbprint(jwk: PublicKeyJwk): Promise<string> {
  const members = `{"crv":"${jwk.crv}","kty":"${jwk.kty}","x":"${jwk.x}","y":"${jwk.y}"}`;
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(members));
  return base64url(new Uint8Array(digest));
}

export async function signReceiptPayload(payload: SignedReceiptPayload, privateKey: CryptoKey, publicKey: HubPublicKeyJwk): Promise<SignedReceipt> {
  const signature = await crypto.subtle.sign(ECDSA_SHA256, privateKey, new TextEncoder().encode(canonicalJson(payload)));
  return { payload, signature: base64url(new Uint8Array(signature)), publicKey };
}

export interface ReceiptCheck {
  ok: boolean;
  what: string;
}

/**
 * Checks a receipt: its form, the signature by the key it names (whose id must be that key's thumbprint), and, when
 * given, that it covers this report (by the SHA-256 of its canonical JSON, and its id) and that the hub's published
 * keys include the signing key. One line per check, in words.
 */
export async function verifyReceipt(
  value: unknown,
  options: { reportJson?: unknown; reportId?: string; publishedKids?: readonly string[] } = {},
): Promise<ReceiptCheck[]> {
  const parsed = SignedReceipt.safeParse(value);
  if (!parsed.success) return [{ ok: false, what: `hub receipt is not in the receipt format (${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? ''})` }];
  const receipt = parsed.data;
  const { payload, publicKey } = receipt;
  const checks: ReceiptCheck[] = [];
  const kidOk = (await jwkThumbprint(publicKey)) === publicKey.kid;
  checks.push({ ok: kidOk, what: `hub receipt key id ${publicKey.kid} is the key's own thumbprint` });
  let signed = false;
  try {
    const key = await crypto.subtle.importKey('jwk', { kty: publicKey.kty, crv: publicKey.crv, x: publicKey.x, y: publicKey.y, ext: true }, ECDSA_P256, false, ['verify']);
    signed = await crypto.subtle.verify(ECDSA_SHA256, key, fromBase64url(receipt.signature), new TextEncoder().encode(canonicalJson(payload)));
  } catch {
    signed = false;
  }
  checks.push({ ok: signed, what: `hub receipt signature (${payload.hub}, ${payload.reference}, received ${payload.receivedAt})` });
  if (options.publishedKids) {
    checks.push({ ok: options.publishedKids.includes(publicKey.kid), what: `hub receipt key ${publicKey.kid} is one the hub publishes` });
  }
  if (options.reportJson !== undefined) {
    const hash = await sha256Hex(canonicalJson(options.reportJson));
    checks.push({ ok: hash === payload.reportSha256, what: `hub receipt covers this report (canonical SHA-256 ${payload.reportSha256.slice(0, 12)}…)` });
  }
  if (options.reportId !== undefined) checks.push({ ok: options.reportId === payload.reportId, what: 'hub receipt names this report id' });
  return checks;
}
