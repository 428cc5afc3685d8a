import { expect, type Page } from '@playwright/test';

/** Body text is at least 16 px on every extension page: paragraphs, labels, hints, list items, buttons and links. */
export async function expectReadableText(page: Page): Promise<void> {
  const small = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('p, label, li, dd, dt, legend, figcaption, button, a, span, input, textarea, select')]
      .filter((element) => element.offsetParent !== null && (element.textContent?.trim() || element.matches('input, textarea, select')))
      .map((element) => ({ text: (element.textContent ?? element.tagName).trim().slice(0, 40), size: parseFloat(getComputedStyle(element).fontSize) }))
      .filter(({ size }) => size < 16),
  );
  expect(small).toEqual([]);
}
