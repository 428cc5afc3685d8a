/**
 * The one report the sealed-contact page needs: its body's id (the sealed block is bound to it), the sealed block and
 * whether the reporter agreed to share their contact details. Read here rather than through the report feature, which
 * this feature does not import.
 */
import { Report, type Sealed } from '../../../lib/schema';
import type { Queryable } from '../../db';

export type SealedOf =
  | { kind: 'sealed'; reportId: string; sealed: Sealed }
  /** Not sealed, erased, anonymous or unreadable: nothing to open. */
  | { kind: 'not_sealed' }
  | { kind: 'no_consent' };

export async function sealedOf(db: Queryable, reference: string): Promise<SealedOf | undefined> {
  const [row] = await db.query<{ body: unknown; erased: boolean }>('SELECT body, erased_at IS NOT NULL AS erased FROM reports WHERE reference = $1', [reference]);
  if (!row) return undefined;
  const parsed = row.erased ? undefined : Report.safeParse(row.body);
  const reporter = parsed?.success ? parsed.data.reporter : undefined;
  if (!reporter?.sealed || !parsed?.success) return { kind: 'not_sealed' };
  // The same rule as the report view's "Show contact details": only what the reporter agreed to share.
  if (!reporter.consents.shareContact) return { kind: 'no_consent' };
  return { kind: 'sealed', reportId: parsed.data.id, sealed: reporter.sealed };
}
