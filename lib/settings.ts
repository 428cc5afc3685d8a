/**
 * The extension's settings, kept in `storage.local` and validated on the way in and on the way out, so a bad
 * value typed by the user, or one left by an older version, is reported in words and never replaces a good one.
 */
import { z } from 'zod';
import { webUrl } from './schema';

export const DEFAULT_ENDPOINT = 'http://localhost:8787';

export const Settings = z.strictObject({
  endpoint: webUrl,
});
export type Settings = z.infer<typeof Settings>;

const DEFAULTS: Settings = { endpoint: DEFAULT_ENDPOINT };
const KEY = 'settings';

/** The part of `browser.storage.StorageArea` this module needs. */
export interface SettingsArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

export async function loadSettings(area: SettingsArea): Promise<Settings> {
  const stored = Settings.safeParse((await area.get(KEY))[KEY]);
  return stored.success ? stored.data : DEFAULTS;
}

export type SaveResult = { ok: true; settings: Settings } | { ok: false; issues: z.core.$ZodIssue[] };

export async function saveSettings(area: SettingsArea, input: unknown): Promise<SaveResult> {
  const parsed = Settings.safeParse(input);
  if (!parsed.success) return { ok: false, issues: parsed.error.issues };
  const settings = { ...parsed.data, endpoint: parsed.data.endpoint.replace(/\/+$/, '') };
  await area.set({ [KEY]: settings });
  return { ok: true, settings };
}
