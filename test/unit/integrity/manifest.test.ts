import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { Window } from 'happy-dom';
import {
  buildManifest, canonicalJson, newSigningKey, sanitizedSnapshot, signManifest, textMatches, verifyManifest,
} from '../../../lib/integrity';
import { openDB } from 'idb';
import { forgetInstallKey } from '../../../extension/signing-key';
import { CaptureManifest } from '../../../lib/schema';
import { sha256Hex } from '../../../lib/hash';

const input = {
  itemIndex: 0,
  pageUrl: 'https://x.com/someone/status/1',
  capturedAt: '2026-02-01T10:00:00.000Z',
  tool: { app: 'ohr-extension', version: '0.1.0' },
  browser: 'Chrome 132',
  evidence: [{ sha256: 'a'.repeat(64), kind: 'screenshot' as const }, { sha256: 'b'.repeat(64), kind: 'html_snapshot' as const }],
  text: 'You are not welcome here',
};

describe('canonicalJson', () => {
  it('sorts keys at every level, keeps array order, drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined }, 'é': 'x' })).toBe('{"a":{"d":[3,{"y":2,"z":1}]},"b":1,"é":"x"}');
  });
});

describe('signing keys', () => {
  it('are made fresh each time, with a non-extractable private half, and never repeat', async () => {
    const first = await newSigningKey();
    const again = await newSigningKey();
    expect(first.privateKey.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('jwk', first.privateKey)).rejects.toThrow();
    expect(again.publicJwk).not.toEqual(first.publicJwk);
    expect(first.publicJwk).toEqual({ kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String) });
  });

  it('the install key older versions kept in IndexedDB is deleted at start', async () => {
    const name = `ohr-integrity-${Math.random()}`;
    const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
    const legacy = await openDB(name, 1, { upgrade: (database) => void database.createObjectStore('keys') });
    await legacy.add('keys', pair, 'install-signing-key');
    legacy.close();
    await forgetInstallKey(indexedDB, name);
    expect((await indexedDB.databases()).map((database) => database.name)).not.toContain(name);
    await forgetInstallKey(indexedDB, name);
  });
});

describe('capture manifest', () => {
  it('is built to the schema, hashes the text, and signs to an 86-character base64url r||s', async () => {
    const key = await newSigningKey();
    const manifest = await buildManifest(input);
    expect(manifest.artefacts).toEqual([...input.evidence, { kind: 'text', sha256: await sha256Hex(input.text) }]);
    const signed = await signManifest(manifest, key.privateKey);
    expect(signed.signature).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(CaptureManifest.safeParse(signed).success).toBe(true);
    expect(await verifyManifest(signed, key.publicJwk)).toBe(true);
    expect(await textMatches(signed, input.text)).toBe(true);
    expect(await textMatches(signed, 'You are welcome here')).toBe(false);
  });

  it('fails verification when any field changes, when unsigned, or under another key', async () => {
    const key = await newSigningKey();
    const other = await newSigningKey();
    const signed = await signManifest(await buildManifest(input), key.privateKey);
    expect(await verifyManifest({ ...signed, capturedAt: '2026-02-01T10:00:01.000Z' }, key.publicJwk)).toBe(false);
    expect(await verifyManifest({ ...signed, artefacts: [...signed.artefacts].reverse() }, key.publicJwk)).toBe(false);
    expect(await verifyManifest({ ...signed, pageUrl: 'https://x.com/someone/status/2' }, key.publicJwk)).toBe(false);
    expect(await verifyManifest({ ...signed, signature: undefined }, key.publicJwk)).toBe(false);
    expect(await verifyManifest(signed, other.publicJwk)).toBe(false);
    // Key order in the object does not matter: the canonical form is what is signed.
    const reordered = Object.fromEntries(Object.entries(signed).reverse()) as typeof signed;
    expect(await verifyManifest(reordered, key.publicJwk)).toBe(true);
  });
});

describe('sanitizedSnapshot', () => {
  it('keeps structure and text, drops scripts, handlers, frames, javascript: links and form values', () => {
    const window = new Window({ url: 'https://www.facebook.com/', settings: { disableJavaScriptEvaluation: true } });
    window.document.body.innerHTML = `<div id="post" onclick="steal()"><h5><a href="/mallory" onmouseover="x()">Mallory</a></h5>
      <p>Hateful <b>words</b> <img src="/e.png" alt="😡" onerror="x()"></p><script>bad()</script><iframe srcdoc="<p>x</p>"></iframe>
      <a href="javascript:alert(1)">click</a><form action="/post"><input type="hidden" name="fb_dtsg" value="SECRET"><input name="q" value="typed"><textarea>draft</textarea></form></div>`;
    const html = sanitizedSnapshot(window.document.querySelector('#post') as unknown as Element, {
      pageUrl: 'https://www.facebook.com/', title: 'Feed <1>', capturedAt: '2026-02-01T10:00:00.000Z',
    });
    expect(html).toContain('<a href="/mallory">Mallory</a>');
    expect(html).toContain('Hateful <b>words</b>');
    expect(html).toContain('alt="😡"');
    expect(html).toContain('<title>Feed &lt;1&gt;</title>');
    for (const gone of ['onclick', 'onmouseover', 'onerror', '<script', 'bad()', '<iframe', 'srcdoc', 'javascript:', 'SECRET', 'fb_dtsg', 'typed', 'draft']) {
      expect(html, gone).not.toContain(gone);
    }
    // The page itself is untouched.
    expect(window.document.querySelector('#post script')).not.toBeNull();
  });
});
