import { describe, expect, it } from 'vitest';
import { DEFAULT_ENDPOINT, loadSettings, saveSettings, type SettingsArea } from '../../../lib/settings';

function memoryArea(initial: Record<string, unknown> = {}): SettingsArea & { data: Record<string, unknown> } {
  const data = { ...initial };
  return { data, get: async (key) => (key in data ? { [key]: data[key] } : {}), set: async (items) => void Object.assign(data, items) };
}

describe('settings', () => {
  it('defaults to the local hub and falls back to it when what is stored is broken', async () => {
    expect(await loadSettings(memoryArea())).toEqual({ endpoint: DEFAULT_ENDPOINT });
    expect(await loadSettings(memoryArea({ settings: { endpoint: 42 } }))).toEqual({ endpoint: DEFAULT_ENDPOINT });
  });

  it('saves a web address without its trailing slash', async () => {
    const area = memoryArea();
    expect(await saveSettings(area, { endpoint: 'https://hub.example.org/' })).toEqual({ ok: true, settings: { endpoint: 'https://hub.example.org' } });
    expect(await loadSettings(area)).toEqual({ endpoint: 'https://hub.example.org' });
  });

  it('refuses anything else and leaves the saved value alone', async () => {
    const area = memoryArea({ settings: { endpoint: 'https://kept.example.org' } });
    for (const input of [{ endpoint: 'ftp://hub.example' }, { endpoint: 'not a url' }, { endpoint: 'https://a.example', extra: 1 }, null]) {
      const result = await saveSettings(area, input);
      expect(result.ok).toBe(false);
    }
    expect(area.data.settings).toEqual({ endpoint: 'https://kept.example.org' });
  });
});
