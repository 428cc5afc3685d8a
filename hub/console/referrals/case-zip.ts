/**
 * How the police case file is packed, in one place for the two that pack it: the hub (case-file.ts) and the
 * moderator's browser when it adds the reporters' opened contact details (add-contact.ts). Both write the same
 * layout: every file in name order, `SHA256SUMS` over them last, one timestamp on every entry, pictures stored and
 * text deflated. So a case file re-packed in the browser reads, and checks with `sha256sum -c`, like the hub's.
 * No Node: this runs in the browser too (the caller hands in its SHA-256).
 */
import { strToU8, zipSync, type Zippable } from 'fflate';

export const SUMS_FILE = 'SHA256SUMS';

/** The file, beside a report's report.json, holding the contact details a moderator opened from its sealed block. */
export const CONTACT_FILE = 'contact.json';

/** The header with the case file's `generatedAt`, which the browser needs to re-pack with the same timestamp. */
export const GENERATED_AT_HEADER = 'X-OHR-Generated-At';

export const reportFolder = (reference: string): string => `reports/${reference}/`;

export const json = (value: unknown): Uint8Array => strToU8(`${JSON.stringify(value, null, 2)}\n`);

/** Pictures are stored as they are (already compressed); text is deflated. */
const COMPRESSED = /\.(png|jpg|webp)$/;

/**
 * The ZIP of these files (SHA256SUMS among them or not: it is written anew over all the others) and the names in the
 * order packed.
 */
export async function packCaseFile(
  files: ReadonlyMap<string, Uint8Array>,
  generatedAt: string,
  sha256Hex: (bytes: Uint8Array<ArrayBuffer>) => Promise<string>,
): Promise<{ bytes: Uint8Array<ArrayBuffer>; names: string[] }> {
  const names = [...files.keys()].filter((name) => name !== SUMS_FILE).sort();
  const sums = await Promise.all(names.map(async (name) => `${await sha256Hex(files.get(name)! as Uint8Array<ArrayBuffer>)}  ${name}\n`));
  const entries: Array<[string, Uint8Array]> = [...names.map((name) => [name, files.get(name)!] as [string, Uint8Array]), [SUMS_FILE, strToU8(sums.join(''))]];
  return { bytes: zipEntries(entries, generatedAt), names: [...names, SUMS_FILE] };
}

function zipEntries(entries: Array<[string, Uint8Array]>, generatedAt: string): Uint8Array<ArrayBuffer> {
  // ZIP times are local wall-clock fields; shifting by the offset makes them read as UTC wherever the file is packed
  // (the hub's time zone or the moderator's), so the browser's entries carry the same time as the hub's.
  const instant = new Date(generatedAt);
  const mtime = new Date(instant.getTime() + instant.getTimezoneOffset() * 60_000);
  const zippable: Zippable = {};
  for (const [name, bytes] of entries) zippable[name] = [bytes, { level: COMPRESSED.test(name) ? 0 : 6, mtime }];
  return zipSync(zippable);
}
