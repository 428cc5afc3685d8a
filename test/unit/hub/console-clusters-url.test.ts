/**
 * The "same page" rule, `ohr_normalise_url` in migrations/003_triage.sql, as a table of cases: what a reported
 * address becomes as a cluster key. Each pair of addresses that must meet shares an expected key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, SETUP_TIMEOUT_MS, type TestDatabase } from './helpers';

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await openTestDatabase();
}, SETUP_TIMEOUT_MS);
afterAll(() => testDb?.dispose());

const CASES: Array<[input: string, key: string]> = [
  // Scheme and host: lower case, https for http, no www./m./mobile., no user info, no default port.
  ['HTTPS://Example.ORG/Path', 'https://example.org/Path'],
  ['http://www.example.org/a', 'https://example.org/a'],
  ['https://user:secret@example.org:443/a', 'https://example.org/a'],
  ['https://example.org:8443/a', 'https://example.org:8443/a'],
  ['https://m.facebook.com/story.php?story_fbid=10&id=20', 'https://facebook.com/story.php?id=20&story_fbid=10'],
  ['https://mobile.twitter.com/someone/status/123', 'https://x.com/someone/status/123'],
  // twitter.com is x.com; X's share parameters go.
  ['https://twitter.com/someone/status/123?s=20&t=AbCdEf', 'https://x.com/someone/status/123'],
  ['https://x.com/someone/status/123/', 'https://x.com/someone/status/123'],
  // Fragments and trailing slashes go.
  ['https://example.org/a/b/#comment-5', 'https://example.org/a/b'],
  ['https://example.org/a//', 'https://example.org/a'],
  // Tracking parameters go, identifying ones stay, and what stays is sorted.
  ['https://example.org/p?utm_source=x&utm_medium=y&id=7&fbclid=abc', 'https://example.org/p?id=7'],
  ['https://www.instagram.com/p/Cx1/?igshid=MzRlODBiNWFlZA==', 'https://instagram.com/p/Cx1'],
  ['https://www.instagram.com/p/Cx1/?igsh=abc&img_index=2', 'https://instagram.com/p/Cx1?img_index=2'],
  ['https://www.facebook.com/permalink.php?story_fbid=99&id=42&__cft__[0]=AZ&__tn__=R', 'https://facebook.com/permalink.php?id=42&story_fbid=99'],
  ['https://www.facebook.com/photo/?fbid=55&set=a.1&mibextid=xyz', 'https://facebook.com/photo?fbid=55&set=a.1'],
  ['https://example.org/p?b=2&a=1&ref=home', 'https://example.org/p?a=1&b=2'],
  ['https://www.reddit.com/r/x/comments/abc/title/?ref_src=share&share_id=1', 'https://reddit.com/r/x/comments/abc/title'],
  ['https://old.reddit.com/r/x/comments/abc/title/', 'https://reddit.com/r/x/comments/abc/title'],
  // YouTube: the video id stays, its short forms meet the watch page, share and time parameters go.
  ['https://www.youtube.com/watch?v=dQw4w9WgXcQ&feature=share&si=xyz', 'https://youtube.com/watch?v=dQw4w9WgXcQ'],
  ['https://youtu.be/dQw4w9WgXcQ?si=abc&t=42', 'https://youtube.com/watch?v=dQw4w9WgXcQ'],
  ['https://m.youtube.com/watch?v=dQw4w9WgXcQ&t=1m2s', 'https://youtube.com/watch?v=dQw4w9WgXcQ'],
  ['https://www.youtube.com/shorts/abcDEF12345', 'https://youtube.com/watch?v=abcDEF12345'],
  ['https://www.youtube.com/watch?v=dQw4w9WgXcQ&list=PL1', 'https://youtube.com/watch?list=PL1&v=dQw4w9WgXcQ'],
  // TikTok and Mastodon keep their paths as they are (case matters in paths).
  ['https://www.tiktok.com/@Someone/video/7300000000000000000?is_from_webapp=1&sender_device=pc', 'https://tiktok.com/@Someone/video/7300000000000000000?is_from_webapp=1&sender_device=pc'],
  ['https://mastodon.social/@Someone/111', 'https://mastodon.social/@Someone/111'],
  // A host with a trailing dot is the same host; an empty query is no query.
  ['https://example.org./a?', 'https://example.org/a'],
  // Not a URL: trimmed only.
  ['  not a url  ', 'not a url'],
];

describe('ohr_normalise_url', () => {
  it.each(CASES)('%s → %s', async (input, key) => {
    const [row] = await testDb.db.query<{ key: string }>('SELECT ohr_normalise_url($1) AS key', [input]);
    expect(row?.key).toBe(key);
  });

  it('gives no "same page" key for a site’s front page or feed (it says nothing about which post)', async () => {
    const body = (url: string) => JSON.stringify({ items: [{ url, platform: 'x' }] });
    for (const url of ['https://x.com/', 'https://twitter.com/home', 'https://www.facebook.com/?sk=h_chr', 'https://www.instagram.com/explore/']) {
      const [row] = await testDb.db.query<{ keys: string[] }>('SELECT ohr_url_keys($1::jsonb) AS keys', [body(url)]);
      expect(row?.keys, url).toEqual([]);
    }
    const [row] = await testDb.db.query<{ keys: string[] }>('SELECT ohr_url_keys($1::jsonb) AS keys', [
      JSON.stringify({ items: [{ url: 'https://x.com/home', permalink: 'https://twitter.com/a/status/1?s=20', platform: 'x' }] }),
    ]);
    expect(row?.keys).toEqual(['https://x.com/a/status/1']);
  });
});
