/**
 * The status code's format: 16 Crockford symbols grouped in fours (80 bits), and what a person may type for it.
 */
import { describe, expect, it } from 'vitest';
import { newStatusToken } from '../../hub/ids';
import { Receipt } from '../../lib/schema';
import { CODE_ALPHABET, CODE_BITS, normaliseStatusCode, STATUS_CODE_PATTERN } from '../../lib/status-code';

describe('status code', () => {
  it('is four groups of four unambiguous symbols, 80 bits', () => {
    const code = newStatusToken();
    expect(code).toMatch(STATUS_CODE_PATTERN);
    expect(code).not.toMatch(/[ILOU]/);
    expect(CODE_BITS).toBe(80);
    expect(CODE_ALPHABET).toHaveLength(32);
  });

  it('uses every symbol about equally (no bias from the byte masking)', () => {
    const counts = new Map<string, number>();
    const draws = 4_000;
    for (let i = 0; i < draws; i++) for (const symbol of newStatusToken().replaceAll('-', '')) counts.set(symbol, (counts.get(symbol) ?? 0) + 1);
    expect(counts.size).toBe(32);
    const expected = (draws * 16) / 32;
    // 2,000 expected per symbol: a fair draw stays within ±15 % with overwhelming probability; a biased one (e.g. % 31) does not.
    for (const count of counts.values()) expect(Math.abs(count - expected)).toBeLessThan(expected * 0.15);
  });

  it('never repeats in many draws', () => {
    const seen = new Set(Array.from({ length: 10_000 }, newStatusToken));
    expect(seen.size).toBe(10_000);
  });

  it('reads what a person typed: case, spaces, hyphens, and I/L/O for 1/1/0', () => {
    expect(normaliseStatusCode('7k2m 9qxa-hh3p  z0v1')).toBe('7K2M-9QXA-HH3P-Z0V1');
    expect(normaliseStatusCode(' 7K2M9QXAHH3PZOVI ')).toBe('7K2M-9QXA-HH3P-Z0V1');
    expect(normaliseStatusCode('7k2m-9qxa-hh3p-zov1')).toBe('7K2M-9QXA-HH3P-Z0V1');
    expect(normaliseStatusCode('7K2M-9QXA-HH3P-Z0VU')).toBe('7K2M-9QXA-HH3P-Z0VU'); // U is no symbol: left as typed, and so not found
    expect(normaliseStatusCode('7K2M-9QXA-HH3P')).toBe('7K2M-9QXA-HH3P');
  });

  it('leaves an older long token exactly as it was (case and hyphens matter there)', () => {
    const old = 'aB-cd_EF0123456789-abcdefghijklmnopqrstuvwx';
    expect(old).toHaveLength(43);
    expect(normaliseStatusCode(`  ${old} `)).toBe(old);
  });

  it('is accepted in a receipt, as is an older long token; a short or ungrouped code is not', () => {
    const receipt = { reference: 'OHR-7K2M-9QXA', receivedAt: '2026-12-06T05:00:00Z' };
    expect(Receipt.safeParse({ ...receipt, statusToken: '7K2M-9QXA-HH3P-Z0V1' }).success).toBe(true);
    expect(Receipt.safeParse({ ...receipt, statusToken: 'x'.repeat(43) }).success).toBe(true);
    expect(Receipt.safeParse({ ...receipt, statusToken: '7K2M9QXAHH3PZ0V1' }).success).toBe(false);
    expect(Receipt.safeParse({ ...receipt, statusToken: '7K2M-9QXA-HH3P' }).success).toBe(false);
  });
});
