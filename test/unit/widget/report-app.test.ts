/**
 * The report app's pieces that need no browser: what a share turns into (widget/app/share.ts), its words kept equal to
 * the widget's where they say the same thing, and the hub's side (hub/report-app.ts): the page, the manifest, and a
 * share that reaches the hub without the app's worker (read by nobody, sent back to the app).
 */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { manifest, mountReportApp } from '../../../hub/report-app';
import { Report } from '../../../lib/schema';
import { LIMITS } from '../../../lib/schema/vocabulary';
import { buildReport } from '../../../widget/report';
import { sharedItem } from '../../../widget/app/share';
import { appEn } from '../../../widget/app/words-en';
import { widgetEn } from '../../../widget/words-en';

describe('a shared post', () => {
  it('takes the shared url, and the text as the post’s words', () => {
    expect(sharedItem({ title: 'A page', text: 'Go back where you came from', url: 'https://www.facebook.com/groups/1/posts/2' })).toEqual({
      url: 'https://www.facebook.com/groups/1/posts/2',
      text: 'Go back where you came from',
    });
  });

  it('finds the link inside the text, as the X, TikTok and Instagram apps share it, and leaves the rest as the words', () => {
    expect(sharedItem({ text: 'They said we should all be sent back https://x.com/someone/status/42?s=20' })).toEqual({
      url: 'https://x.com/someone/status/42?s=20',
      text: 'They said we should all be sent back',
    });
    expect(sharedItem({ title: 'TikTok', text: 'Check out this video! https://vm.tiktok.com/ZMabc123/.' })).toEqual({
      url: 'https://vm.tiktok.com/ZMabc123/',
      text: 'Check out this video! .',
    });
  });

  it('takes a link from the title when nothing else has one; words without a link stay words', () => {
    expect(sharedItem({ title: 'https://www.instagram.com/p/Cx1/', text: '' })).toEqual({ url: 'https://www.instagram.com/p/Cx1/', text: '' });
    expect(sharedItem({ text: 'words selected on a page\n\n  with lines  ' })).toEqual({ url: '', text: 'words selected on a page\nwith lines' });
    expect(sharedItem({})).toEqual({ url: '', text: '' });
  });

  it('keeps the words within what an item may carry', () => {
    expect(sharedItem({ text: 'x'.repeat(LIMITS.capturedText + 10) }).text).toHaveLength(LIMITS.capturedText);
  });
});

describe('a shared item in the report', () => {
  it('carries the post’s words as the item’s text, valid for the hub; an item without words has none', () => {
    const answers = { incident: { summary: 'Shared from the X app' } };
    const report = buildReport(crypto.randomUUID(), answers, [
      { url: 'https://x.com/someone/status/42', uploads: [], text: 'They said we should all be sent back' },
      { url: 'https://x.com/someone/status/43', uploads: [] },
    ]);
    expect(Report.parse(JSON.parse(JSON.stringify(report))).items.map((item) => item.text)).toEqual(['They said we should all be sent back', undefined]);
    expect(Object.keys(JSON.parse(JSON.stringify(report)).items[1])).not.toContain('text');
  });
});

describe('the app’s words', () => {
  it('say what the widget says where they say the same thing', () => {
    expect(appEn['app.exit']).toBe(widgetEn['quickExit.button']);
    expect(appEn['app.share.stripped']).toBe(widgetEn['widget.items.stripped']);
  });
});

describe('the hub’s side', () => {
  const app = new Hono();
  mountReportApp(app, { name: 'Hate <Crime> Hub' });

  it('serves the page: the manifest, the app’s script, the form’s element, the status page, under a CSP of its own', async () => {
    const response = await app.request('http://hub.test/report');
    expect(response.status).toBe(200);
    const csp = response.headers.get('Content-Security-Policy') ?? '';
    for (const directive of ["default-src 'none'", "script-src 'self'", "connect-src 'self'", "manifest-src 'self'", "worker-src 'self'", "form-action 'none'"]) {
      expect(csp).toContain(directive);
    }
    const page = await response.text();
    expect(page).toContain('<link rel="manifest" href="/report/manifest.webmanifest">');
    expect(page).toContain('<script src="/report/app.js" defer></script>');
    expect(page).toContain('<ohr-report-form>');
    expect(page).toContain('<a href="/status">');
    expect(page).toContain('<h1>Report online hate to Hate &lt;Crime&gt; Hub</h1>');
    expect(page).not.toContain('<Crime>');
  });

  it('writes the manifest with the operator’s name, in scope, with the share target', async () => {
    const response = await app.request('http://hub.test/report/manifest.webmanifest');
    expect(response.headers.get('Content-Type')).toBe('application/manifest+json');
    const body = await response.json();
    expect(body).toEqual(manifest('Hate <Crime> Hub'));
    expect(body).toMatchObject({ name: 'Report online hate to Hate <Crime> Hub', start_url: '/report', scope: '/report', display: 'standalone' });
    expect(body.share_target).toMatchObject({ action: '/report/share', method: 'POST', enctype: 'multipart/form-data' });
  });

  it('reads nothing of a share that reaches it (no worker on the phone) and sends the person back to the app', async () => {
    let read = false;
    // No chunk is asked for ahead of a read (highWaterMark 0), so `read` says whether the hub read the body at all.
    const body = new ReadableStream({ pull: () => void (read = true) }, { highWaterMark: 0 });
    const response = await app.request('http://hub.test/report/share', { method: 'POST', body, headers: { 'Content-Type': 'multipart/form-data; boundary=x' }, duplex: 'half' } as RequestInit);
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe('/report?shared');
    expect(read).toBe(false);
  });

  it('serves only the built files it names', async () => {
    for (const name of ['constructor', '..%2Fpackage.json', 'index.ts', 'lang']) {
      expect((await app.request(`http://hub.test/report/${name}`)).status).toBe(404);
    }
  });
});
