import { describe, expect, it } from 'vitest';
import { sendReport, type Fetch } from '../../../lib/protocol/client';
import { sampleReport } from '../../fixtures/report';

const artefact = { sha256: 'a'.repeat(64), mediaType: 'image/png' as const, bytes: new Uint8Array([0x89, 0x50]) };

function answering(status: number, body: unknown, headers: Record<string, string> = {}): Fetch {
  return (async (_input, init) =>
    init?.method === 'PUT' ? new Response(null, { status: 201 }) : Response.json(body, { status, headers })) as Fetch;
}

describe('sendReport', () => {
  it('uploads evidence before the report, under the report id as idempotency key', async () => {
    const calls: string[] = [];
    const report = sampleReport();
    const receipt = { reference: 'OHR-7K3M-9QF2', statusToken: 't'.repeat(43), receivedAt: '2026-11-25T12:00:00.000Z' };
    const fetchFn = (async (input, init) => {
      calls.push(`${init?.method} ${String(input)} ${new Headers(init?.headers).get('Idempotency-Key') ?? ''}`.trim());
      return init?.method === 'PUT' ? new Response(null, { status: 201 }) : Response.json(receipt, { status: 201 });
    }) as Fetch;
    expect(await sendReport('https://hub.example/', report, [artefact], { fetch: fetchFn })).toEqual({ ok: true, value: receipt });
    expect(calls).toEqual([`PUT https://hub.example/api/v1/evidence/${'a'.repeat(64)}`, `POST https://hub.example/api/v1/reports?include=signedReceipt ${report.id}`]);
  });

  it('treats 5xx and 429 as worth retrying, with Retry-After', async () => {
    const result = await sendReport('https://hub.example', sampleReport(), [], { fetch: answering(429, { error: { code: 'rate_limited', message: 'Slow down' } }, { 'Retry-After': '30' }) });
    expect(result).toEqual({ ok: false, failure: { kind: 'retry', status: 429, message: 'Slow down', retryAfterSeconds: 30 } });
  });

  it('uploads again what a 409 names as missing, then retries the report once', async () => {
    const report = sampleReport();
    const calls: string[] = [];
    let posts = 0;
    const receipt = { reference: 'OHR-7K3M-9QF2', statusToken: 't'.repeat(43), receivedAt: '2026-11-25T12:00:00.000Z' };
    const fetchFn = (async (input, init) => {
      calls.push(`${init?.method} ${new URL(String(input)).pathname}`);
      if (init?.method === 'PUT') return new Response(null, { status: 201 });
      posts++;
      return posts === 1
        ? Response.json({ error: { code: 'missing_evidence', message: 'Upload the evidence first', missing: [artefact.sha256] } }, { status: 409 })
        : Response.json(receipt, { status: 201 });
    }) as Fetch;
    expect(await sendReport('https://hub.example', report, [artefact], { fetch: fetchFn })).toEqual({ ok: true, value: receipt });
    const put = `PUT /api/v1/evidence/${artefact.sha256}`;
    expect(calls).toEqual([put, 'POST /api/v1/reports', put, 'POST /api/v1/reports']);
  });

  it('gives up on a request that takes longer than the time-out, as a network failure', async () => {
    const hanging = ((_input: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)))) as Fetch;
    const result = await sendReport('https://hub.example', sampleReport(), [], { fetch: hanging, timeoutMs: 20 });
    expect(result).toMatchObject({ ok: false, failure: { kind: 'network' } });
  });

  it('refuses a receipt that does not follow the protocol, and survives bodies that are not JSON', async () => {
    expect(await sendReport('https://hub.example', sampleReport(), [], { fetch: answering(201, { reference: 'nope' }) })).toMatchObject({
      ok: false,
      failure: { kind: 'retry', status: 201 },
    });
    const html = (async () => new Response('<h1>Bad gateway</h1>', { status: 400, statusText: 'Bad Request' })) as Fetch;
    expect(await sendReport('https://hub.example', sampleReport(), [], { fetch: html })).toEqual({
      ok: false,
      failure: { kind: 'rejected', status: 400, code: 'unknown', message: 'HTTP 400 Bad Request' },
    });
  });
});
