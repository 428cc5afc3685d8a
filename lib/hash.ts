/**
 * SHA-256 through WebCrypto, which the extension's service worker, extension pages, the widget and Node 20 all have,
 * so evidence is hashed by the same code wherever it is captured or received.
 */
export async function sha256Hex(data: BufferSource | string): Promise<string> {
  return sha256HexOfBytes(typeof data === 'string' ? new TextEncoder().encode(data) : data);
}

/** The same for bytes only, for code that never hashes text (the widget, which counts every byte it ships). */
export async function sha256HexOfBytes(bytes: BufferSource): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
