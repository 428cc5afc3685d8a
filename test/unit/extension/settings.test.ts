import { describe, expect, it } from 'vitest';
import { loadSettings, normaliseEndpointUrl, originPattern, updateSettings, type Endpoint, type SettingsArea } from '../../../extension/settings';
import type { Discovery } from '../../../lib/schema';

function memoryArea(initial: Record<string, unknown> = {}): SettingsArea & { data: Record<string, unknown> } {
  const data = { ...initial };
  return { data, get: async (key) => (key in data ? { [key]: data[key] } : {}), set: async (items) => void Object.assign(data, items) };
}

const discovery: Discovery = {
  protocol: 'ohr/1',
  name: 'Community reporting centre',
  submitUrl: 'https://hub.example.org/api/v1/reports',
  evidenceUrl: 'https://hub.example.org/api/v1/evidence/{sha256}',
  statusUrl: 'https://hub.example.org/api/v1/reports/{reference}/status',
  categories: ['race', 'religion'],
  acceptsAnonymous: true,
  limits: { maxJsonBytes: 1_000_000, maxEvidenceBytes: 10_000_000, maxItems: 50 },
  supportLinks: [],
};
const endpoint = (url: string): Endpoint => ({ url, discovery, addedAt: '2026-11-25T12:00:00.000Z', selected: true });

describe('settings', () => {
  it('starts with no organisation and ignores what is stored when it is broken', async () => {
    expect(await loadSettings(memoryArea())).toEqual({ endpoints: [] });
    expect(await loadSettings(memoryArea({ settings: { endpoints: [{ url: 42 }] } }))).toEqual({ endpoints: [] });
  });

  it('saves valid changes', async () => {
    const area = memoryArea();
    const result = await updateSettings(area, () => ({ endpoints: [endpoint('https://hub.example.org')] }));
    expect(result.ok).toBe(true);
    expect(await loadSettings(area)).toEqual({ endpoints: [endpoint('https://hub.example.org')] });
  });

  it('refuses an invalid change in words and leaves the saved settings alone', async () => {
    const kept = { endpoints: [endpoint('https://kept.example.org')] };
    const area = memoryArea({ settings: kept });
    const twice = await updateSettings(area, (current) => ({ endpoints: [...current.endpoints, ...current.endpoints] }));
    expect(twice).toEqual({ ok: false, message: 'Each organisation can be added once' });
    for (const change of [() => null, () => ({ endpoints: [{ ...endpoint('ftp://x.example'), url: 'ftp://x.example' }] }), () => ({ endpoints: [], extra: 1 })]) {
      expect((await updateSettings(area, change)).ok).toBe(false);
    }
    expect(area.data.settings).toEqual(kept);
  });

  it('normalises endpoint addresses and refuses the rest', () => {
    expect(normaliseEndpointUrl(' https://hub.example.org/ohr/ ')).toBe('https://hub.example.org/ohr');
    expect(normaliseEndpointUrl('http://localhost:8787')).toBe('http://localhost:8787');
    expect(normaliseEndpointUrl('https://hub.example.org/?a=1#b')).toBe('https://hub.example.org');
    for (const bad of ['ftp://hub.example.org', 'hub.example.org', 'https://me:pw@hub.example.org', 'javascript:alert(1)']) {
      expect(normaliseEndpointUrl(bad)).toBeUndefined();
    }
    expect(originPattern('https://hub.example.org/ohr')).toBe('https://hub.example.org/*');
  });
});
