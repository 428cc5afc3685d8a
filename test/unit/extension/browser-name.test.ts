/** The browser as a capture manifest names it: family and major version, never the user-agent string. */
import { describe, expect, it } from 'vitest';
import { browserName, UNKNOWN_BROWSER } from '../../../extension/background/browser-name';

const CHROME_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.85 Safari/537.36';

describe('browserName', () => {
  it('takes the most specific client-hint brand and its major version', () => {
    const brands = (...list: Array<[string, string]>) => ({ userAgent: CHROME_UA, userAgentData: { brands: list.map(([brand, version]) => ({ brand, version })) } });
    expect(browserName(brands(['Chromium', '131'], ['Google Chrome', '131'], ['Not_A Brand', '24']))).toBe('Chrome 131');
    expect(browserName(brands(['Not/A)Brand', '8'], ['Chromium', '126'], ['Microsoft Edge', '126']))).toBe('Edge 126');
    expect(browserName(brands(['Chromium', '140'], ['Not=A?Brand', '24']))).toBe('Chromium 140');
    expect(browserName(brands(['Opera', '114'], ['Chromium', '128']))).toBe('Opera 114');
    expect(browserName(brands(['Brave', '131'], ['Chromium', '131']))).toBe('Brave 131');
  });

  it('falls back to the user-agent string’s product token, keeping only the major version', () => {
    expect(browserName({ userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0' })).toBe('Firefox 133');
    expect(browserName({ userAgent: CHROME_UA })).toBe('Chrome 131');
    expect(browserName({ userAgent: `${CHROME_UA} Edg/131.0.2903.70` })).toBe('Edge 131');
    expect(browserName({ userAgent: `${CHROME_UA} OPR/115.0.0.0` })).toBe('Opera 115');
    expect(browserName({ userAgent: CHROME_UA.replace('Chrome/', 'HeadlessChrome/') })).toBe('Chrome 131');
    expect(browserName({ userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15' })).toBe('Safari 18');
  });

  it('never passes through anything but a known family and a number', () => {
    expect(browserName({ userAgent: 'CustomBuild/7 (host-42; user sam)' })).toBe(UNKNOWN_BROWSER);
    expect(browserName({ userAgent: '', userAgentData: { brands: [{ brand: 'Sam’s laptop', version: '1' }] } })).toBe(UNKNOWN_BROWSER);
    expect(browserName({ userAgent: '', userAgentData: { brands: [{ brand: 'Google Chrome', version: 'build-xyz' }] } })).toBe('Chrome');
    for (const name of [browserName({ userAgent: CHROME_UA }), browserName({ userAgent: 'Firefox/999999' })]) {
      expect(name).toMatch(/^(Chrome|Chromium|Edge|Opera|Brave|Firefox|Safari)( \d{1,4})?$|^Unknown browser$/);
    }
  });
});
