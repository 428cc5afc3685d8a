import { expect, type Locator, type Page } from '@playwright/test';

/**
 * Body text is at least 16 px on every extension page: the body itself (Chromium gives extension pages
 * `body { font-size: 75% }`, 12 px, unless the stylesheet sets the body's size), and paragraphs, labels, hints, list
 * items, buttons and links in it.
 */
export async function expectReadableText(page: Page): Promise<void> {
  expect(await bodyFontSize(page), 'the computed font size of <body>').toBeGreaterThanOrEqual(16);
  const small = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('p, label, li, dd, dt, legend, figcaption, button, a, span, input, textarea, select')]
      .filter((element) => element.offsetParent !== null && (element.textContent?.trim() || element.matches('input, textarea, select')))
      .map((element) => ({ text: (element.textContent ?? element.tagName).trim().slice(0, 40), size: parseFloat(getComputedStyle(element).fontSize) }))
      .filter(({ size }) => size < 16),
  );
  expect(small).toEqual([]);
}

/** The computed font size of the page's `<body>`, in px. */
export function bodyFontSize(page: Page): Promise<number> {
  return page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
}

/**
 * Each of `targets` is wholly inside the first `height` px of the page, seen from its top: what a person sees
 * without scrolling (Chromium's toolbar popup is at most 800×600).
 */
export async function expectOnFirstScreen(page: Page, targets: Locator[], height = 600): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  for (const target of targets) {
    const box = await target.boundingBox();
    expect(box, `${target} is laid out`).not.toBeNull();
    expect(box!.y + box!.height, `the bottom of ${target}`).toBeLessThanOrEqual(height);
  }
}
