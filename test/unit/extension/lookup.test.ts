import { describe, expect, it } from 'vitest';
import { completeAddress, lookUpService } from '../../../extension/lookup';
import type { Discovery } from '../../../lib/schema';

const discovery: Discovery = {
  protocol: 'ohr/1',
  name: 'Community reporting centre',
  submitUrl: 'https://hub.example.org/api/v1/reports',
  evidenceUrl: 'https://hub.example.org/api/v1/evidence/{sha256}',
  statusUrl: 'https://hub.example.org/api/v1/reports/{reference}/status',
  categories: ['race'],
  acceptsAnonymous: true,
  limits: { maxJsonBytes: 1_000_000, maxEvidenceBytes: 10_000_000, maxItems: 50 },
  supportLinks: [],
};

type Answer = 'ohr' | 'html' | 'cors' | 'refused' | 'busy' | 'timeout';

/** A network where each origin answers one way; `no-cors` probes succeed wherever anything answers at all. */
function network(answers: Record<string, Answer>) {
  const seen: string[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input));
    seen.push(`${init?.mode ?? 'cors'} ${url.href}`);
    const answer = answers[url.origin] ?? 'refused';
    if (answer === 'refused') throw new TypeError('Failed to fetch');
    if (answer === 'timeout') throw new DOMException('signal timed out', 'TimeoutError');
    if (init?.mode === 'no-cors') return new Response(null, { status: 200 });
    if (answer === 'cors') throw new TypeError('Failed to fetch');
    if (answer === 'busy') return new Response('{}', { status: 503 });
    if (answer === 'html') return new Response('<h1>Our website</h1>', { status: 200, headers: { 'Content-Type': 'text/html' } });
    return Response.json(discovery);
  }) as typeof globalThis.fetch;
  return { fetch, seen, timeoutMs: 1_000 };
}

describe('completeAddress', () => {
  it('adds https:// to an address typed without a scheme, http:// for this computer’s own', () => {
    expect(completeAddress(' report.example.org ')).toBe('https://report.example.org');
    expect(completeAddress('report.example.org/ohr')).toBe('https://report.example.org/ohr');
    expect(completeAddress('localhost:8787')).toBe('http://localhost:8787');
    expect(completeAddress('127.0.0.1:8787')).toBe('http://127.0.0.1:8787');
    expect(completeAddress('http://report.example.org')).toBe('http://report.example.org');
    expect(completeAddress('ftp://report.example.org')).toBe('ftp://report.example.org');
    expect(completeAddress('')).toBe('');
  });
});

describe('lookUpService', () => {
  it('finds a service at an address typed without a scheme', async () => {
    const result = await lookUpService('report.example.org', network({ 'https://report.example.org': 'ohr' }));
    expect(result).toEqual({ ok: true, url: 'https://report.example.org', discovery });
  });

  it('says nothing answered at that port', async () => {
    const result = await lookUpService('https://report.example.org:9999', network({ 'https://report.example.org': 'ohr' }));
    expect(result).toEqual({
      ok: false,
      problem: { key: 'lookup.noAnswerPort', values: { address: 'https://report.example.org:9999', port: '9999' } },
      address: 'https://report.example.org:9999',
    });
  });

  it('says nothing answered at a host with no port', async () => {
    const result = await lookUpService('https://nowhere.example.org', network({}));
    expect(result).toMatchObject({ ok: false, problem: { key: 'lookup.noAnswer', values: { address: 'https://nowhere.example.org' } } });
  });

  it('says when a service answers plain http:// but not https://', async () => {
    const result = await lookUpService('https://report.example.org:8787', network({ 'http://report.example.org:8787': 'ohr' }));
    expect(result).toMatchObject({
      ok: false,
      problem: { key: 'lookup.httpsOnHttp', values: { host: 'report.example.org:8787', address: 'http://report.example.org:8787' } },
    });
  });

  it('says a host that answers is not a reporting service, whether it refuses to be read or sends something else', async () => {
    for (const answer of ['cors', 'html'] as const) {
      const result = await lookUpService('https://www.example.org', network({ 'https://www.example.org': answer }));
      expect(result).toMatchObject({ ok: false, problem: { key: 'lookup.notOhr', values: { address: 'https://www.example.org' } } });
    }
  });

  it('tells a busy service and a slow one apart from a wrong address', async () => {
    expect(await lookUpService('https://a.example.org', network({ 'https://a.example.org': 'busy' }))).toMatchObject({ problem: { key: 'lookup.unavailable' } });
    expect(await lookUpService('https://a.example.org', network({ 'https://a.example.org': 'timeout' }))).toMatchObject({ problem: { key: 'lookup.timeout' } });
  });

  it('refuses what is not a web address, and never passes the browser’s words on', async () => {
    expect(await lookUpService('ftp://a.example.org', network({}))).toMatchObject({ problem: { key: 'error.invalidEndpoint' } });
    expect(await lookUpService('https://user:secret@a.example.org', network({}))).toMatchObject({ problem: { key: 'error.invalidEndpoint' } });
    const refused = await lookUpService('https://a.example.org', network({}));
    expect(JSON.stringify(refused)).not.toContain('Failed to fetch');
  });
});
