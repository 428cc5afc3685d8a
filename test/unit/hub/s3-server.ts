/**
 * A real S3-protocol server for tests (s3rver: the S3 REST API over a folder), on a free loopback port, with one bucket.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

export interface TestS3 {
  endpoint: string;
  bucket: string;
  /** The settings a hub needs to keep its evidence there. */
  config: { kind: 's3'; endpoint: string; bucket: string; region: string; accessKeyId: string; secretAccessKey: string; prefix: string };
  close(): Promise<void>;
}

/** s3rver accepts this key pair (its documented default) and checks the signatures made with it. */
const ACCESS_KEY = 'S3RVER';

export async function startS3(bucket = 'evidence', prefix = 'ohr/'): Promise<TestS3> {
  const directory = await mkdtemp(join(tmpdir(), 'ohr-s3-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: bucket, configs: [] }] });
  const { port } = (await server.run()) as { port: number };
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    config: { kind: 's3', endpoint, bucket, region: 'us-east-1', accessKeyId: ACCESS_KEY, secretAccessKey: ACCESS_KEY, prefix },
    async close() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
