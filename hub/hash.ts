/**
 * SHA-256 for the hub's per-request hashing (report bodies, status tokens).
 *
 * `lib/hash.ts` uses WebCrypto so the extension, the widget and the hub share one implementation, but WebCrypto's
 * `digest` is asynchronous: every call is a job handed to libuv's thread pool and a promise back. For the few hundred
 * bytes of a token or a report body that hop costs far more than the hash: under load it was ~9 % of the hub's CPU
 * profile (two digests per report). node:crypto hashes small inputs in microseconds on the calling thread; large
 * inputs (evidence files, up to 10 MB) still go to WebCrypto so hashing them does not block the event loop.
 * The digest is the same SHA-256, lowercase hex, so stored hashes are unchanged.
 */
import { createHash } from 'node:crypto';
import { sha256Hex as webCryptoSha256Hex } from '../lib/hash';

/** Above this many bytes hashing off the event loop is worth the thread-pool round trip (~2 ms of SHA-256 work). */
const INLINE_LIMIT_BYTES = 1 << 20;

export async function sha256Hex(data: Uint8Array | string): Promise<string> {
  const size = typeof data === 'string' ? data.length * 3 : data.byteLength;
  if (size > INLINE_LIMIT_BYTES) return webCryptoSha256Hex(data as Uint8Array<ArrayBuffer> | string);
  return createHash('sha256').update(data).digest('hex');
}
