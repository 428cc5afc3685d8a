/**
 * Moderators as colleagues read them: the name each gave themselves (migration 014), else their account's email. The
 * audit trail names people this way ("Sam Patel assigned this report to Alex Kim"), disabled accounts included: the
 * trail outlives an account being switched off.
 */
import { z } from 'zod';
import type { Queryable } from '../db';

export interface Person {
  id: string;
  email: string;
  displayName: string | null;
}

/** Trimmed; empty means "no name, show my email". Control and invisible formatting characters are refused. */
export const DisplayName = z
  .string()
  .trim()
  .max(80)
  .refine((name) => !/[\p{Cc}\p{Cf}]/u.test(name));

/** The words for a person: their name, or their email when they gave none. */
export const personLabel = (person: Pick<Person, 'email' | 'displayName'>): string => person.displayName ?? person.email;

/** Every moderator, disabled ones too, by id. */
export async function peopleById(db: Queryable): Promise<Map<string, Person>> {
  const rows = await db.query<Person>('SELECT id::text AS id, email, display_name AS "displayName" FROM moderators');
  return new Map(rows.map((row) => [row.id, row]));
}

export async function displayNameOf(db: Queryable, moderatorId: string): Promise<string | null> {
  const [row] = await db.query<{ name: string | null }>('SELECT display_name AS name FROM moderators WHERE id = $1', [moderatorId]);
  return row?.name ?? null;
}

/** Sets (or, with an empty name, removes) the name a moderator is shown by. */
export async function setDisplayName(db: Queryable, moderatorId: string, name: string): Promise<void> {
  await db.query('UPDATE moderators SET display_name = $2 WHERE id = $1', [moderatorId, name === '' ? null : name]);
}
