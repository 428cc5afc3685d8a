/** Decodes the `data:` URL that `tabs.captureVisibleTab` returns into bytes and their media type. */
export function decodeDataUrl(dataUrl: string): { mediaType: string; bytes: Uint8Array<ArrayBuffer> } {
  const match = /^data:([\w/+.-]+);base64,(.*)$/s.exec(dataUrl);
  if (!match) throw new Error('not a base64 data URL');
  const binary = atob(match[2]!);
  // A plain loop: `Uint8Array.from(binary, fn)` calls back once per byte, which costs milliseconds per screenshot.
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return { mediaType: match[1]!, bytes };
}

/** Width and height from a PNG's IHDR chunk, read without decoding the image. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 24 || signature.some((byte, index) => bytes[index] !== byte)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
