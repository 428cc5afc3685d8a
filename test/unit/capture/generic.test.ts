/** The generic extractor on small hand-written pages: each standard it reads, and what it must refuse to guess. */
import { describe, expect, it } from 'vitest';
import { Window } from 'happy-dom';
import { extractItem, extractPost } from '../../../extension/capture/extract';
import { renderedText } from '../../../extension/capture/extract/dom';

function page(html: string, url = 'https://blog.example.org/posts/1'): Document {
  const window = new Window({ url, settings: { disableJavaScriptEvaluation: true, disableJavaScriptFileLoading: true, disableCSSFileLoading: true } });
  window.document.write(html);
  return window.document as unknown as Document;
}

describe('generic extractor', () => {
  it('reads a microformats h-entry under the cursor', () => {
    const document = page(`<html lang="en"><body><main>
      <div class="h-entry">
        <a class="p-author h-card" href="/@mallory"><span class="p-name">Mallory &#x202E;evil</span><span class="p-nickname">@mallory</span></a>
        <a class="u-url" href="/posts/1"><time class="dt-published" datetime="2026-01-31T15:05:00+01:00">yesterday</time></a>
        <div class="e-content"><p>First line<br>second <img alt="😡" src="/e.png"> line</p><p>Next para</p><script>alert(1)</script></div>
      </div></main></body></html>`);
    const item = extractItem(document, document.querySelector('.e-content p')!);
    expect(item).toMatchObject({
      url: 'https://blog.example.org/posts/1',
      platform: 'other',
      kind: 'post',
      author: { // Kept as shown, the override too: outputs show it as ⟦U+202E⟧ (lib/text/reported.ts); the handle comes from the href.
        displayName: 'Mallory \u202Eevil', handle: 'mallory', profileUrl: 'https://blog.example.org/@mallory' },
      permalink: 'https://blog.example.org/posts/1',
      postedAt: '2026-01-31T14:05:00.000Z',
      text: 'First line\nsecond 😡 line\n\nNext para',
      lang: 'en',
    });
  });

  it('reads schema.org microdata for a comment', () => {
    const document = page(`<body><div itemscope itemtype="https://schema.org/Comment">
      <span itemprop="author" itemscope itemtype="https://schema.org/Person"><a itemprop="url" href="https://forum.example.net/u/troll"><span itemprop="name">Troll</span></a></span>
      <meta itemprop="datePublished" content="2025-12-01T08:00:00Z">
      <div itemprop="text">You people should leave.</div></div></body>`, 'https://forum.example.net/t/9');
    const item = extractItem(document, document.querySelector('[itemprop="text"]')!);
    expect(item).toMatchObject({
      kind: 'comment',
      author: { displayName: 'Troll', profileUrl: 'https://forum.example.net/u/troll' },
      postedAt: '2025-12-01T08:00:00.000Z',
      text: 'You people should leave.',
    });
  });

  it('falls back to JSON-LD and Open Graph when nothing is under the cursor', () => {
    const document = page(`<html><head><title> A  post </title>
      <link rel="canonical" href="https://social.example/p/42">
      <script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite"},
        {"@type":"SocialMediaPosting","author":{"@type":"Person","name":"Eve","alternateName":"@eve","url":"https://social.example/eve"},
         "text":"It&#39;s hateful","datePublished":"2026-02-01T10:00:00Z"}]}</script>
      <meta property="og:image" content="/img/1.png"></head><body><p>shell</p></body></html>`, 'https://social.example/p/42?ref=share');
    const item = extractItem(document);
    expect(item).toEqual({
      url: 'https://social.example/p/42?ref=share',
      canonicalUrl: 'https://social.example/p/42',
      pageTitle: 'A post',
      platform: 'other',
      kind: 'post',
      author: { handle: 'eve', displayName: 'Eve', profileUrl: 'https://social.example/eve' },
      postedAt: '2026-02-01T10:00:00.000Z',
      text: "It's hateful",
      permalink: 'https://social.example/p/42',
      imageUrls: ['https://social.example/img/1.png'],
    });
  });

  it('reads <article>, <time datetime> and rel=author/bookmark', () => {
    const document = page(`<body><article><header><a rel="author" href="/by/sam">Sam</a>
      <a rel="bookmark" href="/2026/02/post"><time datetime="2026-02-02T09:30:00Z">Feb 2</time></a></header>
      <p>Body text</p></article></body>`);
    const { item, root } = extractPost(document, document.querySelector('article p')!);
    expect(root?.localName).toBe('article');
    expect(item.author).toEqual({ displayName: 'Sam', profileUrl: 'https://blog.example.org/by/sam' });
    expect(item.permalink).toBe('https://blog.example.org/2026/02/post');
    expect(item.postedAt).toBe('2026-02-02T09:30:00.000Z');
  });

  it('leaves out what is not there and never invents it', () => {
    const document = page(`<body><article><a class="author" href="javascript:alert(1)">Nobody</a>
      <time datetime="2016-09-27">Sep 27</time><time datetime="2026-01-01T10:00">local</time><p>text</p></article></body>`);
    const item = extractItem(document, document.querySelector('p')!);
    expect(item.author).toEqual({ displayName: 'Nobody' });
    expect(item.postedAt).toBeUndefined();
    expect(item.permalink).toBeUndefined();
  });

  it('returns the page itself when nothing on it describes a post, and never throws on broken markup', () => {
    const document = page(`<head><script type="application/ld+json">{not json</script></head><body><div><span>hi</span></div></body>`);
    expect(extractItem(document, document.querySelector('span')!)).toEqual({ url: 'https://blog.example.org/posts/1', platform: 'other', kind: 'page' });
  });

  it('caps captured text at the schema limit', () => {
    const document = page(`<body><article><p>${'a'.repeat(25_000)}</p></article></body>`);
    expect(extractItem(document, document.querySelector('p')!).text).toHaveLength(20_000);
  });

  it('uses the platform the DOM shows when the address does not say (a Mastodon instance)', () => {
    const document = page(`<body class="app-body"><div class="status" data-id="1">
      <a class="status__display-name" href="https://masto.example/@kim"><span class="display-name"><strong class="display-name__html">Kim</strong><span class="display-name__account">@kim</span></span></a>
      <a class="status__relative-time" href="https://masto.example/@kim/1"><time datetime="2026-01-05T12:00:00.000Z">1d</time></a>
      <div class="status__content" lang="de"><p>Hallo</p></div></div></body>`, 'https://masto.example/home');
    expect(extractItem(document, document.querySelector('.status__content p')!)).toMatchObject({
      platform: 'mastodon',
      author: { handle: 'kim@masto.example', displayName: 'Kim', profileUrl: 'https://masto.example/@kim' },
      permalink: 'https://masto.example/@kim/1',
      postedAt: '2026-01-05T12:00:00.000Z',
      text: 'Hallo',
      lang: 'de',
    });
  });
});

describe('renderedText', () => {
  it('renders blocks and <br> as line breaks, inline runs as one line, hidden parts not at all', () => {
    const document = page(`<body><div id="x"><span>a</span><span> b</span><div>c</div>d<br>e<span hidden>no</span><span style="display: none">no</span><noscript>no</noscript></div></body>`);
    expect(renderedText(document.querySelector('#x')!)).toBe('a b\nc\nd\ne');
  });
});

describe('fallbacks', () => {
  it('a platform page whose post markup is not the platform’s falls back to the generic extractor', () => {
    const document = page(`<body><article class="h-entry"><a class="p-author h-card" href="/someone">Someone</a><p class="e-content">words</p></article></body>`, 'https://x.com/someone/status/1');
    expect(extractItem(document, document.querySelector('p')!)).toMatchObject({ platform: 'x', author: { displayName: 'Someone' }, text: 'words' });
  });

  it('never throws, even when the DOM itself does', () => {
    const document = page(`<body><div class="tgme_widget_message" data-post="c/1"><p>x</p></div></body>`, 'https://t.me/s/c');
    const target = document.querySelector('p')!;
    const broken = new Proxy(document, {
      get(object, key) {
        if (key === 'querySelector' || key === 'querySelectorAll') return () => { throw new Error('boom'); };
        const value = Reflect.get(object, key, object) as unknown;
        return typeof value === 'function' ? value.bind(object) : value;
      },
    });
    expect(extractItem(broken, target)).toMatchObject({ url: 'https://t.me/s/c', platform: 'telegram' });
  });
});
