import type { Draft } from '../drafts';
import { SCHEMA_VERSION, type Report } from '../schema';

export interface ClientInfo {
  app: string;
  version: string;
}

/**
 * The report a draft becomes when sent. Until the full form exists, a draft is sent as an anonymous witness
 * report that consents to nothing beyond the receiving organisation reading it: the safest defaults.
 */
export function reportFromDraft(draft: Draft, client: ClientInfo): Report {
  return {
    id: draft.id,
    schemaVersion: SCHEMA_VERSION,
    createdAt: draft.createdAt,
    client,
    reporter: {
      role: 'witness',
      anonymous: true,
      contact: { channel: 'none' },
      consents: { police: false, platform: false, shareContact: false, supportReferral: false },
      wantsSupport: false,
    },
    urgency: { immediateDanger: false, perpetratorIdentityKnown: false, relatesToFutureEvent: false },
    incident: { summary: draft.summary, targetedCharacteristics: [], harmTypes: [], ongoing: false },
    items: draft.items,
  };
}
