/**
 * Evidence bytes in an S3-compatible object store (AWS S3, MinIO, Garage, Ceph RGW, Backblaze B2, Cloudflare R2…),
 * one object per file named `<prefix><sha256>`, requests signed with AWS Signature V4 by aws4fetch over `fetch`.
 *
 * Write-once: a PUT is made only when no object is there yet, and carries `If-None-Match: *` so that a store which
 * supports conditional writes (AWS S3, MinIO, recent Garage) refuses to overwrite one that appeared meanwhile (412); a
 * store that ignores the header receives the same bytes again under the same name, which changes nothing. Every PUT
 * carries Content-MD5, and what the store says it holds (the ETag of a single-part upload is the MD5 of its bytes)
 * is compared with what was sent; where the ETag is not an MD5 (some encryption settings) the object is read back
 * and hashed. An object found under a key with other bytes (damage) is replaced.
 */
import { createHash } from 'node:crypto';
import { AwsClient } from 'aws4fetch';
import type { EvidenceStoreConfig } from '../config';
import { DatabaseUnavailableError } from './availability';
import type { EvidenceStore } from './evidence-store';

/** How long one request to the object store may take before it counts as unreachable. */
const REQUEST_TIMEOUT_MS = 30_000;

export type S3Settings = Required<Pick<EvidenceStoreConfig, 'endpoint' | 'bucket' | 'region' | 'accessKeyId' | 'secretAccessKey'>> &
  Partial<Pick<EvidenceStoreConfig, 'prefix' | 'pathStyle'>>;

export class S3EvidenceStore implements EvidenceStore {
  readonly kind = 's3';
  private readonly client: AwsClient;
  private readonly base: string;

  constructor(private readonly settings: S3Settings) {
    this.client = new AwsClient({
      accessKeyId: settings.accessKeyId,
      secretAccessKey: settings.secretAccessKey,
      region: settings.region,
      service: 's3',
    });
    const endpoint = new URL(settings.endpoint);
    const path = endpoint.pathname.replace(/\/$/, '');
    this.base = settings.pathStyle !== false
      ? `${endpoint.origin}${path}/${encodeURIComponent(settings.bucket)}/`
      : `${endpoint.protocol}//${settings.bucket}.${endpoint.host}${path}/`;
  }

  /** Where a file's object is: the prefix (which may hold slashes) and the hash. */
  url(sha256: string): string {
    return this.base + (this.settings.prefix ?? '').split('/').map(encodeURIComponent).join('/') + sha256;
  }

  async put(sha256: string, bytes: Uint8Array): Promise<void> {
    const md5 = createHash('md5').update(bytes).digest();
    const found = await this.request(sha256, 'HEAD');
    if (found.ok && (await this.holds(sha256, found, bytes.byteLength, md5))) return;
    const conditional = !found.ok;
    const answer = await this.request(sha256, 'PUT', {
      body: bytes,
      headers: {
        'Content-Type': 'application/octet-stream',
        'Content-MD5': md5.toString('base64'),
        ...(conditional ? { 'If-None-Match': '*' } : {}),
      },
    });
    if (answer.status === 412 || answer.status === 409) {
      // Another process (or hub) stored the file between our HEAD and PUT: check what it stored.
      const now = await this.request(sha256, 'HEAD');
      if (now.ok && (await this.holds(sha256, now, bytes.byteLength, md5))) return;
      throw new Error(`The object store holds other bytes under ${sha256} and refused to replace them`);
    }
    if (!answer.ok) throw await this.failure('store', answer);
    if (!(await this.holds(sha256, answer, bytes.byteLength, md5, { knownLength: true }))) {
      throw new Error(`The object store did not keep the bytes of ${sha256} as sent`);
    }
  }

  async get(sha256: string): Promise<AsyncIterable<Uint8Array> | undefined> {
    const answer = await this.request(sha256, 'GET');
    if (answer.status === 404) return undefined;
    if (!answer.ok || !answer.body) throw await this.failure('read', answer);
    return answer.body as AsyncIterable<Uint8Array>;
  }

  async has(sha256: string): Promise<boolean> {
    const answer = await this.request(sha256, 'HEAD');
    if (answer.status === 404) return false;
    if (!answer.ok) throw await this.failure('look up', answer);
    return true;
  }

  async delete(sha256: string): Promise<void> {
    const answer = await this.request(sha256, 'DELETE');
    if (!answer.ok && answer.status !== 404) throw await this.failure('delete', answer);
  }

  /**
   * Whether the object `answer` describes holds these bytes: its length (unless the answer is a PUT's, which has
   * none), and its ETag when that is an MD5; otherwise the object is read back and hashed.
   */
  private async holds(sha256: string, answer: Response, length: number, md5: Buffer, { knownLength = false } = {}): Promise<boolean> {
    const size = answer.headers.get('Content-Length');
    if (!knownLength && size !== null && Number(size) !== length) return false;
    const etag = answer.headers.get('ETag')?.replace(/^(W\/)?"|"$/g, '');
    if (etag && /^[0-9a-f]{32}$/i.test(etag)) return etag.toLowerCase() === md5.toString('hex');
    const body = await this.get(sha256);
    if (!body) return false;
    const hash = createHash('sha256');
    for await (const piece of body) hash.update(piece);
    return hash.digest('hex') === sha256;
  }

  private async request(sha256: string, method: string, init: { body?: Uint8Array; headers?: Record<string, string> } = {}): Promise<Response> {
    try {
      return await this.client.fetch(this.url(sha256), {
        method,
        ...(init.body ? { body: init.body as Uint8Array<ArrayBuffer> } : {}),
        headers: init.headers ?? {},
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      // Unreachable or too slow: the API answers 503 with Retry-After, as for a database that cannot take work.
      throw new DatabaseUnavailableError({
        reason: 'database_unreachable',
        message: `The evidence object store cannot be reached (${error instanceof Error ? error.message : String(error)})`,
      });
    }
  }

  private async failure(what: string, answer: Response): Promise<Error> {
    const text = (await answer.text().catch(() => '')).slice(0, 300);
    const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
    const message = `The object store would not ${what} the evidence: HTTP ${answer.status}${code ? ` ${code}` : ''}`;
    // 5xx and 503 SlowDown are the store's trouble, not the request's: tell clients to come back.
    return answer.status >= 500 ? new DatabaseUnavailableError({ reason: 'database_unreachable', message }) : new Error(message);
  }
}
