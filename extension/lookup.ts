/**
 * Looking up an organisation's reporting service from the address the person typed, with words for each way it goes
 * wrong that say what to check: an address typed without `https://` is completed; a port where nothing answers, a
 * secure address for a service that only speaks plain HTTP, and a host that answers but is not a reporting service
 * are told apart. Browser text ("Failed to fetch") never reaches the person, and nothing here talks about a report:
 * at this point there is none.
 */
import { fetchDiscovery, type Fetch, type SendFailure } from '@/lib/protocol/client';
import { PATHS, type Discovery } from '@/lib/schema';
import type { Problem } from './messages';
import { normaliseEndpointUrl } from './settings';

export type LookupResult =
  | { ok: true; url: string; discovery: Discovery }
  /** `address`: what was looked up, completed (`https://…`) when typed without a scheme, so the field can show it. */
  | { ok: false; problem: Problem; address?: string };

export interface LookupOptions {
  fetch: Fetch;
  /** Per request, for the look-up and each probe. */
  timeoutMs: number;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d+)?$/i;

/**
 * The address with a scheme: as typed when it has one; `http://` for this computer's own addresses (a hub run with
 * `npm start` speaks plain HTTP); `https://` for everything else, never silently plain HTTP over the internet.
 */
export function completeAddress(input: string): string {
  const trimmed = input.trim();
  if (trimmed === '' || /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) return trimmed;
  const host = trimmed.replace(/^\/+/, '').split(/[/?#]/)[0] ?? '';
  return `${LOOPBACK.test(host) ? 'http' : 'https'}://${trimmed.replace(/^\/+/, '')}`;
}

export async function lookUpService(input: string, options: LookupOptions): Promise<LookupResult> {
  const address = completeAddress(input);
  const url = normaliseEndpointUrl(address);
  if (!url) return { ok: false, problem: { key: 'error.invalidEndpoint' }, ...(address ? { address } : {}) };
  // Never from the browser's cache (discovery is cacheable): "Test connection" must find out whether it answers now.
  const fresh: Fetch = (request, init) => options.fetch(request, { ...init, cache: 'no-store' });
  const found = await fetchDiscovery(url, { ...options, fetch: fresh });
  if (found.ok) return { ok: true, url, discovery: found.value };
  return { ok: false, problem: await explain(url, found.failure, options), address: url };
}

async function explain(url: string, failure: SendFailure, options: LookupOptions): Promise<Problem> {
  const known = describeFailure(url, failure);
  if (known) return known;
  // Nothing usable came back. Whether anything answered at all tells a refused or missing service (wrong port, wrong
  // host, down) from one that answered but would not let its description be read (not a reporting service).
  if (await answers(url, options)) return { key: 'lookup.notOhr', values: { address: url } };
  const parsed = new URL(url);
  if (parsed.protocol === 'https:') {
    const plain = `http://${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
    if (await answers(plain, options)) return { key: 'lookup.httpsOnHttp', values: { host: parsed.host, address: plain } };
  }
  if (parsed.port) return { key: 'lookup.noAnswerPort', values: { address: url, port: parsed.port } };
  return { key: 'lookup.noAnswer', values: { address: url } };
}

function describeFailure(url: string, failure: SendFailure): Problem | undefined {
  switch (failure.kind) {
    case 'rejected':
      // A 404 at /.well-known/ohr, or an answer that is not a discovery document: something else lives there.
      return { key: 'lookup.notOhr', values: { address: url } };
    case 'retry':
      return { key: 'lookup.unavailable', values: { address: url } };
    case 'network':
      return /time(d)? ?out/i.test(failure.message) ? { key: 'lookup.timeout', values: { address: url } } : undefined;
  }
}

/**
 * Whether anything answers HTTP at this address. A request the server lets this extension read (an OHR hub allows
 * extensions by CORS) is an answer; so is an opaque `no-cors` one, which succeeds whatever the server says unless it
 * forbids being read from elsewhere (`Cross-Origin-Resource-Policy`). Refused, reset or unreachable: no answer.
 */
async function answers(url: string, { fetch, timeoutMs }: LookupOptions): Promise<boolean> {
  const target = url.replace(/\/+$/, '') + PATHS.discovery;
  for (const mode of ['cors', 'no-cors'] as const) {
    try {
      await fetch(target, { mode, credentials: 'omit', cache: 'no-store', signal: AbortSignal.timeout(timeoutMs) });
      return true;
    } catch {
      // Try the other way, then give up.
    }
  }
  return false;
}
