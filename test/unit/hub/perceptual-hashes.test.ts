/**
 * Intimate-image abuse reported by fingerprint (issue 23, section 3), through the real API on PGlite and PostgreSQL:
 * a report carries PDQ hashes of real photographs instead of the photographs, the hub keeps them (migration 016),
 * matches a re-encoded, resized and slightly cropped copy with the earlier report and a different photo with nothing,
 * groups the matches as a cluster that says so in words, and never receives a byte of the pictures.
 */
import type { Hono } from 'hono';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clusterOf } from '../../../hub/console/clusters/query';
import { bandMasks, imageMatches } from '../../../hub/domain/perceptual';
import { eraseReport } from '../../../hub/domain/retention';
import { hammingDistance, pdqHash } from '../../../lib/pdq/pdq';
import type { PerceptualHash, Report } from '../../../lib/schema';
import { crop, decode, photo, resize, toJpeg, toPng, type Pixels } from '../../fixtures/pdq';
import { sampleReport } from '../../fixtures/report';
import { consoleApp, signedIn, type Browser } from './console-helpers';
import { seedReport } from './console-queue-fixtures';
import { createTestApp, openTestDatabase, postReport, SETUP_TIMEOUT_MS, type TestDatabase } from './helpers';

let testDb: TestDatabase;
let api: Hono;
let browser: Browser;

beforeAll(async () => {
  testDb = await openTestDatabase();
  api = createTestApp({ db: testDb.db });
  ({ browser } = await signedIn(consoleApp(testDb.db), testDb.db));
}, SETUP_TIMEOUT_MS);
afterAll(() => testDb?.dispose());
beforeEach(async () => {
  await testDb.db.query('DELETE FROM reports');
});

const db = () => testDb.db;
const fingerprint = (pixels: Pixels): PerceptualHash => ({ algorithm: 'pdq', ...pdqHash(pixels.data, pixels.width, pixels.height) });

/** A report of intimate-image abuse whose one picture went as its fingerprint only, as the clients send it. */
function fingerprintReport(hashes: PerceptualHash[]): Report {
  const base = sampleReport();
  return {
    ...base,
    incident: { ...base.incident, summary: 'A private photo of me was posted without my consent.', harmTypes: ['intimate_image_abuse'] },
        // Each on a page of its own, so that only the picture relates them.
    items: [{ ...base.items[0]!, url: `https://example.org/p/${base.id}`, kind: 'image', captureMethod: 'widget_upload', evidence: [], perceptualHashes: hashes }],
  };
}

async function file(hashes: PerceptualHash[]): Promise<string> {
  const report = fingerprintReport(hashes);
  const response = await postReport(api, report, report.id);
  if (response.status !== 201) throw new Error(await response.text());
  return ((await response.json()) as { reference: string }).reference;
}

const chelsea = photo('chelsea.png');
const copies = {
  reencoded: decode(toJpeg(chelsea, 40)),
  resized: resize(chelsea, 271, 180),
  cropped: crop(chelsea, 0.01),
};

describe('pictures reported by their fingerprint', () => {
  it('match a re-encoded, resized and slightly cropped copy with the earlier report, and a different photo with nothing', async () => {
    const first = await file([fingerprint(chelsea)]);
    const again: string[] = [];
    for (const copy of Object.values(copies)) again.push(await file([fingerprint(copy)]));
    const other = await file([fingerprint(photo('rocket.jpg'))]);

    for (const reference of again) {
      const matches = await imageMatches(db(), reference, 31);
      expect(matches.find((match) => match.reference === first)).toMatchObject({ earlier: true });
      expect(matches.map((match) => match.reference)).not.toContain(other);
    }
    expect(await imageMatches(db(), other, 31)).toEqual([]);
    const firstMatches = await imageMatches(db(), first, 31);
    expect(new Set(firstMatches.map((match) => match.reference))).toEqual(new Set(again));
    expect(firstMatches.every((match) => !match.earlier && match.distance <= 31)).toBe(true);

    // The cluster groups them, says why, and the console says it in words without the picture or its fingerprint.
    // The copies are each within 31 of the original, not always of each other: the last matches those it is close to.
    const hashes = [chelsea, ...Object.values(copies)].map((pixels) => fingerprint(pixels).hash);
    const last = again[again.length - 1]!;
    const earlierOfLast = hashes.slice(0, -1).filter((hash) => hammingDistance(hash, hashes[hashes.length - 1]!) <= 31).length;
    expect(earlierOfLast).toBeGreaterThanOrEqual(2);
    const cluster = await clusterOf(db(), last, 31);
    expect(cluster?.members.map((member) => member.reference)).toContain(first);
    expect(cluster?.members.map((member) => member.reference)).not.toContain(other);
    expect(cluster?.members).toHaveLength(earlierOfLast + 1);
    expect(cluster?.members.find((member) => member.reference === first)).toMatchObject({ sameImage: true, sameUrl: false, sameEvidence: false });
    const page = await (await browser.get(`/console/clusters/${last}`)).text();
    expect(page).toContain(`Matches ${earlierOfLast} earlier reports of the same image.`);
    expect(page).toContain('same image (by its fingerprint)');
    expect(page).not.toContain(fingerprint(chelsea).hash);
    const firstPage = await (await browser.get(`/console/clusters/${first}`)).text();
    expect(firstPage).toContain('No earlier report shows the same image.');
    expect(firstPage).toContain('3 later reports show the same image.');
    expect(await (await browser.get(`/console/clusters/${other}`)).text()).not.toContain('same image');
  });

  it('reach the hub without a byte of the picture: no evidence, no file, nothing in any table', async () => {
    const png = toPng(chelsea);
    const jpeg = toJpeg(chelsea, 90);
    const reference = await file([fingerprint(chelsea)]);
    for (const table of ['evidence', 'report_evidence', 'evidence_chunks']) {
      expect((await db().query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]?.n, table).toBe(0);
    }
    // Every row of every table of the hub, as text, searched for a run of the picture's bytes (hex as bytea prints, and base64).
    const tables = await db().query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
    );
    expect(tables.map((table) => table.name)).toContain('image_hashes');
    const pieces = [png, jpeg, Buffer.from(chelsea.data)].flatMap((bytes) => [
      bytes.subarray(100, 124).toString('hex'),
      bytes.subarray(99, 123).toString('base64'),
    ]);
    for (const { name } of tables) {
      const found = await db().query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "${name}" t WHERE EXISTS (SELECT 1 FROM unnest($1::text[]) AS p WHERE t::text LIKE '%' || p || '%')`,
        [pieces],
      );
      expect(found[0]?.n, name).toBe(0);
    }
    const [kept] = await db().query<{ quality: number; hash: string }>(
      `SELECT quality, hash::text AS hash FROM image_hashes WHERE reference = $1`,
      [reference],
    );
    expect(kept?.quality).toBe(fingerprint(chelsea).quality);
    expect(kept?.hash).toHaveLength(256);
  });

  it('follow the configured distance: at 0 only the same bits match', async () => {
    const first = await file([fingerprint(chelsea)]);
    const same = await file([fingerprint(chelsea)]);
    const resized = await file([fingerprint(copies.resized)]);
    expect((await imageMatches(db(), first, 0)).map((match) => match.reference)).toEqual([same]);
    expect((await imageMatches(db(), resized, 0))).toEqual([]);
    expect((await imageMatches(db(), resized, 31)).map((match) => match.reference)).toEqual([first, same]);
    await expect(imageMatches(db(), first, 48)).rejects.toThrow(/from 0 to 47; got 48/);
  });

  it('ignore fingerprints of flat pictures (quality below 50), which would match any other flat picture', async () => {
    const flat: PerceptualHash = { algorithm: 'pdq', hash: 'a'.repeat(64), quality: 10 };
    const first = await file([flat]);
    await file([flat]);
    expect(await imageMatches(db(), first, 31)).toEqual([]);
  });

  it('are erased with the report', async () => {
    const first = await file([fingerprint(chelsea)]);
    const again = await file([fingerprint(copies.reencoded)]);
    await db().query(`UPDATE reports SET status = 'closed', outcome = 'no_further_action' WHERE reference = $1`, [first]);
    expect((await eraseReport(db(), { reference: first, actorId: null, reason: 'retention' })).kind).toBe('erased');
    expect(await db().query('SELECT 1 FROM image_hashes WHERE reference = $1', [first])).toEqual([]);
    expect(await imageMatches(db(), again, 31)).toEqual([]);
  });

  it('are refused in words when they are not PDQ hashes', async () => {
    const report = fingerprintReport([{ algorithm: 'pdq', hash: 'XYZ', quality: 100 }]);
    const response = await postReport(api, report, report.id);
    expect(response.status).toBe(422);
    expect(await response.text()).toContain('A PDQ hash is 64 lowercase hexadecimal characters');
  });

  it('discovery says the hub takes PDQ fingerprints', async () => {
    const discovery = (await (await api.request('/.well-known/ohr')).json()) as { perceptualHashes?: string[] };
    expect(discovery.perceptualHashes).toEqual(['pdq']);
  });
});

describe('matching through the bands', () => {
  /** A random hash with `n` bits flipped, spread so that some bands get two and others none. */
  const random = () => Array.from(crypto.getRandomValues(new Uint8Array(32)), (byte) => byte.toString(16).padStart(2, '0')).join('');
  const flip = (hex: string, positions: number[]) => {
    const bits = [...hex].flatMap((digit) => parseInt(digit, 16).toString(2).padStart(4, '0').split('').map(Number));
    for (const at of positions) bits[at] = 1 - bits[at]!;
    return Array.from({ length: 64 }, (_, i) => parseInt(bits.slice(i * 4, i * 4 + 4).join(''), 2).toString(16)).join('');
  };
  const hashOf = (hex: string): PerceptualHash => ({ algorithm: 'pdq', hash: hex, quality: 100 });

  it('finds exactly what comparing with every stored hash finds, at the edges of the distance', async () => {
    const anchor = random();
    // Two bits in every band but one (31) and in every band (32): no band is left exact, the hardest case for the index.
    const twoPerBand = (bands: number) => Array.from({ length: bands }, (_, band) => [band * 16 + 3, band * 16 + 11]).flat();
    const variants = {
      d31: flip(anchor, [...twoPerBand(15), 15 * 16 + 7]),
      d32: flip(anchor, twoPerBand(16)),
      d16: flip(anchor, Array.from({ length: 16 }, (_, band) => band * 16 + 5)),
      d1: flip(anchor, [200]),
    };
    const stored = new Map<string, string>();
    const a = await seedReport(db(), { items: [{ perceptualHashes: [hashOf(anchor)] }] });
    for (const hex of [...Object.values(variants), ...Array.from({ length: 40 }, random)]) {
      stored.set(await seedReport(db(), { items: [{ perceptualHashes: [hashOf(hex)] }] }), hex);
    }
    for (const distance of [0, 15, 16, 31, 47]) {
      const expected = [...stored].filter(([, hex]) => hammingDistance(anchor, hex) <= distance).map(([reference]) => reference);
      const found = (await imageMatches(db(), a, distance)).map((match) => match.reference);
      expect(new Set(found), `distance ${distance}`).toEqual(new Set(expected));
    }
    expect(hammingDistance(anchor, variants.d31)).toBe(31);
    expect(hammingDistance(anchor, variants.d32)).toBe(32);
  });

  it('probes 17 values a band at distance 31 and 137 at 47', () => {
    expect(bandMasks(1)).toHaveLength(17);
    expect(bandMasks(2)).toHaveLength(137);
  });
});
