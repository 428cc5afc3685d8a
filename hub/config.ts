/**
 * What an organisation running a hub decides: how it describes itself in discovery, what it accepts, and which web
 * origins (besides browser extensions) may call it.
 */
import { LIMITS, TargetedCharacteristic, type Discovery, type Limits } from '../lib/schema';

export interface HubConfig {
  name: string;
  description: string;
  /** Targeted characteristics this hub takes reports about. */
  categories: TargetedCharacteristic[];
  acceptsAnonymous: boolean;
  limits: Limits;
  privacyPolicyUrl?: string;
  supportLinks: Discovery['supportLinks'];
  /**
   * The address clients reach the hub at, e.g. `https://report.example.org`. Discovery builds its absolute URLs from
   * it. Unset: the request's own origin, which is right unless a reverse proxy rewrites the host (forwarded headers are
   * deliberately not trusted, since any client can send them).
   */
  publicBaseUrl?: string;
  /** Exact web origins allowed by CORS in addition to browser extensions, e.g. the site hosting the widget. */
  corsOrigins: string[];
}

export const DEFAULT_CONFIG: HubConfig = {
  name: 'OHR reference hub',
  description: 'The Online Harms Reporter reference endpoint: it receives reports of online hate and their evidence.',
  categories: [...TargetedCharacteristic.options],
  acceptsAnonymous: true,
  limits: { maxJsonBytes: 1_000_000, maxEvidenceBytes: 10_000_000, maxItems: LIMITS.items },
  supportLinks: [],
  corsOrigins: [],
};

/** Fills what the operator left out from the defaults; `limits` is merged key by key. */
export function resolveConfig(overrides: Partial<HubConfig> = {}): HubConfig {
  const config: HubConfig = {
    ...DEFAULT_CONFIG,
    ...overrides,
    limits: { ...DEFAULT_CONFIG.limits, ...overrides.limits },
  };
  if (config.publicBaseUrl !== undefined) config.publicBaseUrl = config.publicBaseUrl.replace(/\/+$/, '');
  return config;
}
