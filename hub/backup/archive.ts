/**
 * The backup file: a gzip-compressed tar archive (`tar tzf FILE` lists it), written and read as a stream so evidence of
 * any size passes through a bounded amount of memory. Every part's SHA-256 and length go into `manifest.json`, the last
 * entry, so a reader can tell a complete, undamaged file from a cut or altered one before it writes anything.
 *
 * A file is written as `FILE.partial-<random>` (mode 0600: it holds secrets), fsynced, then renamed over FILE: a backup
 * file that exists is always complete, and an earlier backup of the same name stays until the new one is.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { once } from 'node:events';
import { createGunzip, createGzip, constants as zlib } from 'node:zlib';
import type { Readable } from 'node:stream';
import tar from 'tar-stream';

/** Thrown for anything wrong with a backup file or its target, in words for the person running the command. */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

export interface PartRecord {
  name: string;
  bytes: number;
  sha256: string;
}

/** Appends entries to a new backup file; `finish` writes the manifest and puts the file in place. */
export class ArchiveWriter {
  private readonly pack = tar.pack();
  private readonly parts: PartRecord[] = [];
  private readonly done: Promise<void>;
  private failure: unknown;

  private constructor(
    readonly file: string,
    private readonly partial: string,
  ) {
    const gzip = createGzip({ level: zlib.Z_BEST_SPEED });
    const out = createWriteStream(partial, { flags: 'wx', mode: 0o600 });
    const fail = (error: unknown) => {
      this.failure ??= error;
      this.pack.destroy(error as Error);
    };
    gzip.on('error', fail);
    out.on('error', fail);
    this.pack.on('error', fail);
    this.pack.pipe(gzip).pipe(out);
    this.done = new Promise((resolve, reject) => {
      out.on('close', () => (this.failure ? reject(this.failure) : resolve()));
      out.on('error', reject);
    });
    this.done.catch(() => undefined);
  }

  static async create(file: string): Promise<ArchiveWriter> {
    const folder = await stat(dirname(file)).catch(() => undefined);
    if (!folder?.isDirectory()) throw new BackupError(`The folder for ${file} does not exist: create it first, or give another path.`);
    const partial = join(dirname(file), `.${basename(file)}.partial-${randomBytes(6).toString('hex')}`);
    return new ArchiveWriter(file, partial);
  }

  /** A small part held in memory (JSON, a page of rows). */
  async add(name: string, content: Buffer): Promise<PartRecord> {
    return this.addStream(name, content.byteLength, [content]);
  }

  /** A part of known length, from chunks produced one at a time (evidence bytes). */
  async addStream(name: string, size: number, chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<PartRecord> {
    this.check();
    const hash = createHash('sha256');
    let written = 0;
    const entry = this.pack.entry({ name, size, mode: 0o600, mtime: new Date(0) });
    const finished = new Promise<void>((resolve, reject) => {
      entry.on('finish', resolve);
      entry.on('error', reject);
      entry.on('close', resolve);
    });
    for await (const chunk of chunks) {
      hash.update(chunk);
      written += chunk.byteLength;
      if (!entry.write(chunk)) await Promise.race([once(entry, 'drain'), this.done]);
      this.check();
    }
    entry.end();
    await Promise.race([finished, this.done]);
    if (written !== size) throw new Error(`${name}: ${written} bytes written where ${size} were announced`);
    const part = { name, bytes: size, sha256: hash.digest('hex') };
    this.parts.push(part);
    return part;
  }

  /** Writes `manifest.json` (the caller's fields and every part's checksum), then syncs and renames into place. */
  async finish(manifest: Record<string, unknown>): Promise<void> {
    const body = Buffer.from(`${JSON.stringify({ ...manifest, parts: this.parts }, null, 1)}\n`);
    this.check();
    this.pack.entry({ name: MANIFEST, size: body.byteLength, mode: 0o600, mtime: new Date(0) }, body);
    this.pack.finalize();
    await this.done;
    const handle = await open(this.partial, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(this.partial, this.file);
  }

  /** Removes the partial file after a failure. */
  async abandon(): Promise<void> {
    this.pack.destroy();
    await this.done.catch(() => undefined);
    await rm(this.partial, { force: true });
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }
}

export const MANIFEST = 'manifest.json';

export interface ArchiveEntry {
  name: string;
  size: number;
  /** The entry's bytes; each chunk is also counted into the entry's SHA-256. */
  chunks: AsyncIterable<Uint8Array>;
}

/**
 * Calls `visit` for every entry in order, and returns each entry's SHA-256 and length as read. The visitor must consume
 * the chunks it is given (or they are skipped). Damage to the compressed stream or the tar structure becomes a
 * BackupError in words.
 */
export async function readArchive(file: string, visit: (entry: ArchiveEntry) => Promise<void>): Promise<PartRecord[]> {
  const found = await stat(file).catch(() => undefined);
  if (!found) throw new BackupError(`There is no file ${file}: check the path to the backup.`);
  if (!found.isFile()) throw new BackupError(`${file} is not a file: give the path of a backup file.`);
  const source = createReadStream(file);
  const gunzip = createGunzip();
  const extract = tar.extract();
  source.on('error', (error) => gunzip.destroy(error));
  gunzip.on('error', (error) => extract.destroy(error));
  source.pipe(gunzip).pipe(extract);
  const parts: PartRecord[] = [];
  try {
    for await (const entry of extract) {
      const hash = createHash('sha256');
      let bytes = 0;
      const chunks = (async function* (stream: Readable) {
        for await (const chunk of stream) {
          const data = chunk as Buffer;
          hash.update(data);
          bytes += data.byteLength;
          yield data;
        }
      })(entry);
      await visit({ name: entry.header.name, size: entry.header.size ?? 0, chunks });
      // Whatever the visitor left unread is still hashed: the checksum covers the whole part.
      for await (const _ of chunks) void _;
      parts.push({ name: entry.header.name, bytes, sha256: hash.digest('hex') });
    }
  } catch (error) {
    source.destroy();
    throw readProblem(file, error);
  }
  return parts;
}

/** zlib's and tar-stream's messages, said as what they mean for the person holding the file. */
function readProblem(file: string, error: unknown): unknown {
  if (error instanceof BackupError) return error;
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'Z_BUF_ERROR' || /unexpected end/i.test(message)) {
    return new BackupError(
      `${file} is incomplete or damaged at its end: it ends before the backup does (it was cut short while being written or ` +
        'copied, or the disk filled up). Nothing was restored. Use another copy of the backup.',
    );
  }
  if (typeof code === 'string' && code.startsWith('Z_')) {
    const what = /data check/.test(message)
      ? 'its compressed data does not match its checksum'
      : /header check/.test(message)
        ? 'it is not a gzip-compressed file'
        : `its compressed data does not read: ${message}`;
    return new BackupError(`${file} is damaged or is not an OHR backup (${what}). Nothing was restored. Use another copy of the backup.`);
  }
  if (/tar|header/i.test(message)) {
    return new BackupError(`${file} is damaged or is not an OHR backup (${message}). Nothing was restored. Use another copy of the backup.`);
  }
  return error;
}

/** All of an entry's chunks as one buffer, refusing more than `limit` bytes (small parts only). */
export async function collect(entry: ArchiveEntry, limit: number): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of entry.chunks) {
    total += chunk.byteLength;
    if (total > limit) throw new BackupError(`The part ${entry.name} is larger than any backup writes: the file is not an OHR backup.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
