import { describe, expect, it } from 'vitest';
import { forgetIfDelivered } from '../../../extension/keep-nothing';
import { loadSettings, updateSettings, type Settings, type SettingsArea } from '../../../extension/settings';
import type { DeliveryStatus } from '../../../extension/db';

function deps(settings: Settings, statuses: DeliveryStatus[]) {
  const deleted: string[] = [];
  return {
    deleted,
    loadSettings: async () => settings,
    deliveriesOf: async () => statuses.map((status) => ({ status })),
    deleteLocal: async (id: string) => void deleted.push(id),
  };
}

describe('keep nothing after sending', () => {
  it('deletes the local copy only when asked and once every organisation has acknowledged it', async () => {
    const on = { endpoints: [], keepNothingAfterSend: true };
    const cases: Array<[Settings, DeliveryStatus[], boolean]> = [
      [on, ['sent', 'sent'], true],
      [on, ['sent', 'queued'], false],
      [on, ['sent', 'needs_attention'], false],
      [on, [], false],
      [{ endpoints: [] }, ['sent'], false],
      [{ endpoints: [], keepNothingAfterSend: false }, ['sent'], false],
    ];
    for (const [settings, statuses, expected] of cases) {
      const fake = deps(settings, statuses);
      expect(await forgetIfDelivered(fake, 'r1'), JSON.stringify([settings, statuses])).toBe(expected);
      expect(fake.deleted).toEqual(expected ? ['r1'] : []);
    }
  });

  it('survives changes to the endpoints made by code that does not know the setting', async () => {
    const data: Record<string, unknown> = {};
    const area: SettingsArea = { get: async (key) => ({ [key]: data[key] }), set: async (items) => void Object.assign(data, items) };
    await updateSettings(area, () => ({ keepNothingAfterSend: true }));
    await updateSettings(area, (current) => ({ endpoints: current.endpoints }));
    expect((await loadSettings(area)).keepNothingAfterSend).toBe(true);
  });
});
