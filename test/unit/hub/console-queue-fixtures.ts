/**
 * Reports written straight into the table for the queue and cluster tests, with the received time, status and
 * urgency each test needs (the intake API stamps "now"). The triage columns fill themselves from the body, as they do
 * for the API's insert; console-queue.test.ts checks that one too.
 */
import type { Queryable } from '../../../hub/db';
import { newReference } from '../../../hub/ids';
import type { Item, Report, ReportStatus } from '../../../lib/schema';
import { sampleReport } from '../../fixtures/report';

export interface Seed {
  receivedAt?: string;
  urgent?: boolean;
  status?: ReportStatus;
  incident?: Partial<Report['incident']>;
  reporter?: Report['reporter'];
  /** Replaces the sample's one item (merged over it, so only what matters needs saying). */
  items?: Array<Partial<Item>>;
}

export async function seedReport(db: Queryable, seed: Seed = {}): Promise<string> {
  const base = sampleReport();
  const [item] = base.items;
  if (!item) throw new Error('sample report has no item');
  const body: Report = {
    ...base,
    ...(seed.reporter ? { reporter: seed.reporter } : {}),
    incident: { ...base.incident, ...seed.incident },
    items: (seed.items ?? [{}]).map((override) => ({ ...item, evidence: [], ...override })),
  };
  const reference = newReference();
  await db.query(
    `INSERT INTO reports (reference, id, body, body_sha256, urgent, status, outcome, status_token_sha256, received_at)
     VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7, $4, $8::timestamptz)`,
    [
      reference,
      body.id,
      JSON.stringify(body),
      'f'.repeat(64),
      seed.urgent ?? false,
      seed.status ?? 'received',
      seed.status === 'closed' ? 'no_further_action' : null,
      seed.receivedAt ?? new Date().toISOString(),
    ],
  );
  return reference;
}

/** A reporter who can be contacted, for the repeat-target cases. */
export function contactable(email: string, phone?: string): Report['reporter'] {
  return {
    role: 'victim',
    anonymous: false,
    email,
    ...(phone ? { phone } : {}),
    contact: { channel: 'email' },
    consents: { police: true, platform: true, shareContact: false, supportReferral: false },
    wantsSupport: false,
  };
}
