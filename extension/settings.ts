/**
 * The extension's settings, kept in `storage.local` and validated on the way in and on the way out, so a bad
 * value, or one left by an older version, is reported in words and never replaces a good one.
 */
import { z } from 'zod';
import { Discovery, utcDateTime, webUrl } from '@/lib/schema';

/** Suggested in the "add an organisation" field: the hub `npm start` runs. */
export const EXAMPLE_ENDPOINT = 'http://localhost:8787';
export const MAX_ENDPOINTS = 20;

/** An organisation reports can go to, as its discovery document described it when it was added. */
export const Endpoint = z.strictObject({
  url: webUrl,
  discovery: Discovery,
  addedAt: utcDateTime,
  /** Ticked for new reports. */
  selected: z.boolean(),
});
export type Endpoint = z.infer<typeof Endpoint>;

export const Settings = z.strictObject({
  endpoints: z
    .array(Endpoint)
    .max(MAX_ENDPOINTS, `At most ${MAX_ENDPOINTS} organisations can be added`)
    .refine((endpoints) => new Set(endpoints.map((endpoint) => endpoint.url)).size === endpoints.length, 'Each organisation can be added once'),
  /**
   * "Keep nothing on this computer after a report is sent": once every organisation has acknowledged a report (and
   * the person has seen its reference), its local copy is deleted. Absent means no, so older settings still load.
   */
  keepNothingAfterSend: z.boolean().optional(),
});
export type Settings = z.infer<typeof Settings>;

const DEFAULTS: Settings = { endpoints: [] };
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

export type SaveResult = { ok: true; settings: Settings } | { ok: false; message: string };

/**
 * Applies `change` to the saved settings and saves the result only if it is valid. The change is laid over the
 * current settings, so a caller that changes only the endpoints cannot drop a setting it does not know about.
 */
export async function updateSettings(area: SettingsArea, change: (current: Settings) => unknown): Promise<SaveResult> {
  const current = await loadSettings(area);
  const next = change(current);
  const parsed = Settings.safeParse(isRecord(next) ? { ...current, ...next } : next);
  if (!parsed.success) return { ok: false, message: parsed.error.issues.map((issue) => issue.message).join('; ') };
  await area.set({ [KEY]: parsed.data });
  return { ok: true, settings: parsed.data };
}

/**
 * The canonical form of an endpoint address: http(s) only, no query, fragment or credentials, no trailing slash.
 * Returns undefined for anything else, so the caller can explain instead of storing it.
 */
export function normaliseEndpointUrl(input: string): string | undefined {
  const trimmed = input.trim();
  const parsed = webUrl.safeParse(trimmed);
  if (!parsed.success) return undefined;
  const url = new URL(parsed.data);
  if (url.username || url.password) return undefined;
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** The match pattern for the optional host permission that lets the extension reach this endpoint. */
export function originPattern(endpointUrl: string): string {
  return `${new URL(endpointUrl).origin}/*`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a report's local copy should go now: the person asked for it and every organisation has acknowledged it. */
export function shouldForgetAfterSend(settings: Settings, deliveryStatuses: readonly string[]): boolean {
  return settings.keepNothingAfterSend === true && deliveryStatuses.length > 0 && deliveryStatuses.every((status) => status === 'sent');
}
