/**
 * Anonymous must mean unlinkable (issue 16). One install — one background, one local store, one browser — makes two
 * anonymous and two identified reports; one of each goes to one organisation, the other to two. Every request the
 * background makes is recorded as it leaves (the headers it sets, the address, the body), each organisation being a
 * real hub app on its own database. Then, for every pair of copies — two reports, or one report at two organisations,
 * or a copy and the person's own evidence pack — no value (nor any word-like piece of one) may be common to both
 * unless it is something the person wrote or captured in both, or one of the constants listed below.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { createApp } from '../../../hub/app';
import { createBackground } from '../../../extension/background/handlers';
import { DraftStore } from '../../../extension/drafts';
import { evidencePackFor } from '../../../extension/evidence-pack/for-draft';
import { CaptureResponse, EntriesResponse } from '../../../extension/messages';
import { openOhrDatabase } from '../../../extension/db';
import { sha256Hex } from '../../../lib/hash';
import { unzipSync } from 'fflate';
import { packForVerify } from '../../../lib/evidence-pack/read';
import { verifyZip } from '../../../lib/evidence-pack/verify-zip';
import { verifyReport, type EvidenceSource } from '../../../lib/integrity/verify';
import { STATUS_INCLUDE, SUBMIT_INCLUDE, type Fetch } from '../../../lib/protocol/client';
import type { ReportDetails } from '../../../lib/report/details';
import { Report, SCHEMA_VERSION } from '../../../lib/schema';
import { pngDataUrl } from '../../fixtures/png';
import { openTestDatabase, SETUP_TIMEOUT_MS, type TestDatabase } from '../hub/helpers';

const CLIENT = { app: 'ohr-extension', version: '0.1.0' };
const BROWSER = 'Chromium 140';

/**
 * Every value allowed in two copies that the person did not write or capture in both. Each is the same for everyone
 * who sends with this build from this browser version, so it says nothing about who or which computer:
 */
const CONSTANTS: ReadonlyArray<string | number | boolean> = [
  // the schema: its version, the key type and curve of every public key, the `text` artefact kind of a manifest, the
  // index of an item in a one-item report
  SCHEMA_VERSION, 'EC', 'P-256', 'text', 0,
  // the safe defaults for what was not answered (an anonymous witness, no contact, no consent, not urgent)
  true, false, 'witness', 'none',
  // this build of the extension (`client` and each manifest's `tool`)
  CLIENT.app, CLIENT.version,
  // the browser, by family and major version only
  BROWSER,
  // the protocol: its addresses (/api/v1/reports, /api/v1/evidence/{sha256}, /api/v1/reports/{reference}/status),
  // the media types of its bodies and the scheme of its status token, and what a status GET and a report's POST ask for
  'api', 'v1', 'reports', 'evidence', 'status', 'application/json', 'image/png', 'Bearer', 'include', STATUS_INCLUDE, SUBMIT_INCLUDE,
];

const ORG_A = 'http://org-a.test';
const ORG_B = 'http://org-b.test';
const hubs = new Map<string, { database: TestDatabase; app: Hono }>();

beforeAll(async () => {
  for (const endpoint of [ORG_A, ORG_B]) {
    const database = await openTestDatabase();
    hubs.set(endpoint, { database, app: createApp({ db: database.db }) });
  }
}, SETUP_TIMEOUT_MS);
afterAll(async () => {
  for (const { database } of hubs.values()) await database.dispose();
});

interface Sent {
  endpoint: string;
  method: string;
  path: string;
  headers: Array<[string, string]>;
  body: string | Uint8Array | undefined;
}

/** What the person does: the page they capture, what they answer, and where they send it. */
interface Made {
  label: string;
  draftId: string;
  summary: string;
  endpoints: string[];
  /** Every leaf of what the person wrote and captured, as it sits in their draft once sent (id and times of editing left out). */
  theirs: Set<string>;
}

/** Every primitive in a JSON value, as text (so 1 and "1" count as the same value: stricter, not looser). */
function leaves(value: unknown, into = new Set<string>()): Set<string> {
  if (value === null || typeof value !== 'object') {
    if (value !== undefined) into.add(String(value));
  } else {
    for (const entry of Object.values(value)) leaves(entry, into);
  }
  return into;
}

/** The values and every word-like piece of them six characters or longer: an id hidden inside a longer string still shows. */
function withPieces(values: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const value of values) {
    out.add(value);
    for (const piece of value.split(/[^A-Za-z0-9_-]+/)) if (piece.length >= 6) out.add(piece);
  }
  return out;
}

const ALLOWED = withPieces(CONSTANTS.map(String));

/** What one organisation learns from one copy: the value of every header the client set, the addresses, the bodies. */
function seenIn(requests: readonly Sent[]): Set<string> {
  const seen = new Set<string>();
  for (const request of requests) {
    for (const [, value] of request.headers) seen.add(value);
    const url = new URL(request.path, 'http://hub.test');
    for (const segment of url.pathname.split('/')) if (segment) seen.add(decodeURIComponent(segment));
    for (const [name, value] of url.searchParams) seen.add(name).add(value);
    if (typeof request.body === 'string') leaves(JSON.parse(request.body), seen);
  }
  return withPieces(seen);
}

/** Values common to two copies that neither the constants nor what the person put in both account for. */
function linking(a: { seen: Set<string>; theirs: Set<string> }, b: { seen: Set<string>; theirs: Set<string> }): string[] {
  const theirs = new Set([...withPieces(a.theirs)].filter((value) => withPieces(b.theirs).has(value)));
  return [...a.seen].filter((value) => b.seen.has(value) && !ALLOWED.has(value) && !theirs.has(value));
}

describe('one install, four reports, two organisations', () => {
  const requests: Sent[] = [];
  const made: Made[] = [];
  let background: ReturnType<typeof createBackground>;
  let drafts: DraftStore;
  let tab = { windowId: 1, active: true, url: '', title: '' };
  let screenshot = '';

  const recordingFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input));
    const endpoint = url.origin;
    const body = init?.body;
    requests.push({
      endpoint,
      method: init?.method ?? 'GET',
      path: url.pathname + url.search,
      headers: [...new Headers(init?.headers).entries()],
      body: typeof body === 'string' ? body : body instanceof Uint8Array ? body : body === undefined || body === null ? undefined : String(body),
    });
    return hubs.get(endpoint)!.app.request(String(input), init);
  }) as Fetch;

  async function report(label: string, endpoints: string[], page: { url: string; title: string; width: number }, summary: string, details: ReportDetails) {
    tab = { ...tab, url: page.url, title: page.title };
    screenshot = pngDataUrl(page.width, 600);
    const captured = CaptureResponse.parse(await background.handle({ type: 'capture-tab', tabId: 3, newReport: true }));
    if (!captured.ok) throw new Error(captured.problem.key);
    await drafts.saveAnswers(captured.draftId, details);
    expect(await background.handle({ type: 'send-draft', draftId: captured.draftId, summary, endpoints })).toEqual({ ok: true });
    await background.kick();
    const { id: _id, updatedAt: _updatedAt, status: _status, ...draft } = (await drafts.get(captured.draftId))!;
    made.push({ label, draftId: captured.draftId, summary, endpoints, theirs: leaves(draft) });
  }

  /** The requests that carried one report's copy to one organisation: its posts, its evidence, its status checks. */
  function copyAt(entry: Made, endpoint: string, reference: string) {
    const posts = requests.filter(
      (request) => request.endpoint === endpoint && request.method === 'POST' && typeof request.body === 'string' && (JSON.parse(request.body) as Report).incident.summary === entry.summary,
    );
    const copy = Report.parse(JSON.parse(posts[0]!.body as string));
    const hashes = new Set(copy.items.flatMap((item) => item.evidence.map((evidence) => evidence.sha256)));
    const evidence = requests.filter((request) => request.endpoint === endpoint && request.method === 'PUT' && hashes.has(request.path.split('/').pop()!));
    const status = requests.filter((request) => request.endpoint === endpoint && request.path.includes(`/${reference}/`));
    return { label: `${entry.label} at ${endpoint}`, copy, posts, evidence, status, theirs: entry.theirs, seen: seenIn([...posts, ...evidence, ...status]) };
  }

  let copies: Array<ReturnType<typeof copyAt>>;
  let packs: Array<{ label: string; report: Report; source: EvidenceSource; seen: Set<string>; theirs: Set<string> }>;

  beforeAll(async () => {
    const database = openOhrDatabase(`ohr-unlinkable-${crypto.randomUUID()}`);
    drafts = new DraftStore(await database);
    background = createBackground({
      getTab: async () => tab,
      captureVisibleTab: async () => screenshot,
      database: () => database,
      fetch: recordingFetch,
      client: CLIENT,
      browser: BROWSER,
      now: () => new Date(),
      newId: () => crypto.randomUUID(),
      scheduleWake: () => undefined,
    });
    for (const endpoint of [ORG_A, ORG_B]) await background.handle({ type: 'lookup-endpoint', url: endpoint });

    const identified: ReportDetails = {
      reporter: {
        role: 'victim',
        anonymous: false,
        name: 'Sam Reporter',
        email: 'sam@example.org',
        contact: { channel: 'email', language: 'cy' },
        consents: { police: true, shareContact: true },
      },
      incident: { targetedCharacteristics: ['religion'], harmTypes: ['threat'] },
    };
    await report('anonymous 1', [ORG_A], { url: 'https://x.com/abuser/status/111', title: 'Post one', width: 801 }, 'Report one: slurs under my post', {});
    await report('anonymous 2', [ORG_A, ORG_B], { url: 'https://www.reddit.com/r/x/comments/222', title: 'Post two', width: 802 }, 'Report two: a thread of threats', {
      reporter: { role: 'witness', anonymous: true },
      incident: { targetedCharacteristics: ['race'], harmTypes: ['hate_speech'] },
    });
    await report('identified 1', [ORG_B], { url: 'https://www.facebook.com/groups/3/posts/333', title: 'Post three', width: 803 }, 'Report three: my address posted', identified);
    await report('identified 2', [ORG_A, ORG_B], { url: 'https://www.tiktok.com/@abuser/video/444', title: 'Post four', width: 804 }, 'Report four: a video about me', identified);
    await background.handle({ type: 'check-status' });

    const listed = EntriesResponse.parse(await background.handle({ type: 'list-reports' }));
    if (!listed.ok) throw new Error(listed.problem.key);
    copies = made.flatMap((entry) =>
      entry.endpoints.map((endpoint) => {
        const delivery = listed.entries.find((listedEntry) => listedEntry.draft.id === entry.draftId)!.deliveries.find((candidate) => candidate.endpoint === endpoint)!;
        expect(delivery.status).toBe('sent');
        return copyAt(entry, endpoint, delivery.receipt!.reference);
      }),
    );
    packs = [];
    for (const entry of made) {
      const pack = packForVerify((await evidencePackFor(drafts, entry.draftId, CLIENT, () => undefined)).bytes);
      if (!('json' in pack)) throw new Error(pack.key);
      const packed = Report.parse(pack.json);
      packs.push({ label: `${entry.label}, the person's evidence pack`, report: packed, source: pack.source, seen: withPieces(leaves(packed)), theirs: entry.theirs });
    }
  }, SETUP_TIMEOUT_MS);

  it('sends six copies, each once, each signed, each filed by its organisation under its own id', async () => {
    expect(copies.map((copy) => copy.label)).toEqual([
      `anonymous 1 at ${ORG_A}`,
      `anonymous 2 at ${ORG_A}`,
      `anonymous 2 at ${ORG_B}`,
      `identified 1 at ${ORG_B}`,
      `identified 2 at ${ORG_A}`,
      `identified 2 at ${ORG_B}`,
    ]);
    for (const { copy, posts, status } of copies) {
      expect(posts).toHaveLength(1);
      expect(posts[0]!.headers).toContainEqual(['idempotency-key', copy.id]);
      expect(copy.captureManifests).toHaveLength(1);
      expect(copy.publicKey).toBeDefined();
      expect(status.length).toBeGreaterThan(0);
    }
    expect(new Set(copies.map(({ copy }) => copy.id)).size).toBe(6);
    // The draft's id is this computer's handle for the report: no copy carries it.
    expect(copies.filter(({ copy }) => made.some(({ draftId }) => draftId === copy.id))).toEqual([]);
    for (const [endpoint, { database }] of hubs) {
      const filed = await database.db.query<{ id: string }>('SELECT id FROM reports');
      expect(filed.map((row) => row.id).sort()).toEqual(copies.filter((copy) => copy.label.endsWith(endpoint)).map(({ copy }) => copy.id).sort());
    }
  });

  it('every request names the browser by family and major version at most, and sets no header beyond the protocol’s', () => {
    const names = new Set(requests.flatMap((request) => request.headers.map(([name]) => name)));
    expect([...names].sort()).toEqual(['accept', 'authorization', 'content-type', 'idempotency-key']);
    for (const { copy } of copies) for (const manifest of copy.captureManifests!) expect(manifest.browser).toBe(BROWSER);
    expect(JSON.stringify(requests.map((request) => [request.headers, typeof request.body === 'string' ? request.body : '']))).not.toMatch(/Mozilla|AppleWebKit|Gecko|X11|Windows NT|Macintosh|Linux/);
  });

  it('no two copies have a value in common but what the person wrote or captured in both and the constants', () => {
    const all = [...copies, ...packs];
    const found: string[] = [];
    for (const [index, a] of all.entries()) {
      for (const b of all.slice(index + 1)) {
        const common = linking(a, b);
        if (common.length) found.push(`${a.label} and ${b.label}: ${common.join(', ')}`);
      }
    }
    expect(found).toEqual([]);
  });

  it('the same report at two organisations differs in id, key and signatures, and agrees in everything the person gave', () => {
    for (const label of ['anonymous 2', 'identified 2']) {
      const [a, b] = copies.filter((copy) => copy.label.startsWith(label)).map(({ copy }) => copy);
      expect(a!.id).not.toBe(b!.id);
      expect(a!.publicKey).not.toEqual(b!.publicKey);
      expect(a!.captureManifests![0]!.signature).not.toBe(b!.captureManifests![0]!.signature);
      const content = ({ id: _id, publicKey: _key, captureManifests, ...rest }: Report) => ({ ...rest, manifests: captureManifests!.map(({ signature: _s, ...manifest }) => manifest) });
      expect(content(a!)).toEqual(content(b!));
    }
  });

  it('integrity still holds: each organisation’s copy verifies against the bytes it received, and so does each evidence pack', async () => {
    for (const { copy, evidence } of copies) {
      const source: EvidenceSource = {
        async *files() {
          for (const request of evidence) yield { name: request.path, bytes: request.body as Uint8Array<ArrayBuffer> };
        },
      };
      const verdict = await verifyReport(copy, source);
      expect(verdict.ok).toBe(true);
      expect(verdict.items[0]!.checks).toContainEqual({ ok: true, what: 'capture manifest signature' });
      // Moved onto another copy's key, the signature no longer holds.
      const other = copies.find((candidate) => candidate.copy.id !== copy.id)!.copy;
      expect((await verifyReport({ ...copy, publicKey: other.publicKey }, source)).ok).toBe(false);
    }
    for (const [index, pack] of packs.entries()) {
      expect((await verifyReport(pack.report, pack.source)).ok).toBe(true);
      // The person's copy keeps their draft's id, so opening the pack again here finds the report it came from.
      expect(pack.report.id).toBe(made[index]!.draftId);
    }
    for (const request of requests.filter((candidate) => candidate.method === 'PUT')) {
      expect(await sha256Hex(request.body as Uint8Array<ArrayBuffer>)).toBe(request.path.split('/').pop());
    }
  });

  it('the check has teeth: a key or a user-agent shared by two copies is found', () => {
    const [a, b] = copies;
    const sharedKey = { ...b!, seen: seenIn([{ ...b!.posts[0]!, body: JSON.stringify({ ...b!.copy, publicKey: a!.copy.publicKey }) }]) };
    expect(linking(a!, sharedKey)).toEqual(expect.arrayContaining([a!.copy.publicKey!.x, a!.copy.publicKey!.y]));
    const ua = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.7339.185 Safari/537.36';
    const withUa = (copy: typeof a) => ({ ...copy!, seen: new Set([...copy!.seen, ...withPieces([ua])]) });
    expect(linking(withUa(a), withUa(b))).toEqual(expect.arrayContaining([ua, 'AppleWebKit']));
  });

  it("keeps each organisation's signed receipt and puts it in the person's pack with the copy it covers, which npm run verify's checks pass", async () => {
    const entry = made.find((candidate) => candidate.endpoints.length === 2)!;
    const files = unzipSync((await evidencePackFor(drafts, entry.draftId, CLIENT, () => undefined)).bytes);
    expect(Object.keys(files).filter((name) => /^receipts\/\d\/(receipt|report)\.json$/.test(name)).sort()).toEqual([
      'receipts/1/receipt.json',
      'receipts/1/report.json',
      'receipts/2/receipt.json',
      'receipts/2/report.json',
    ]);
    const verdict = await verifyZip(files);
    expect(verdict.text).not.toMatch(/FAIL/);
    expect(verdict.text.match(/ok {4}hub receipt signature/g)).toHaveLength(2);
    expect(verdict.text.match(/ok {4}hub receipt covers this report/g)).toHaveLength(2);
  });
});
