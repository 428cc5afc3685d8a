/**
 * SHA-256 through WebCrypto, which the extension's service worker, extension pages, the widget and Node 20 all have,
 * so evidence is hashed by the same code wherever it is captured or received.
 */
export async function sha256Hex(data: BufferSource | string): Promise<string> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
