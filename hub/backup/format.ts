/**
 * The two descriptive parts of a backup file, as zod schemas: what `backup` writes and what `restore` accepts.
 * `database.json` comes first (what a restore needs before the rows); `manifest.json` comes last (counts and the
 * SHA-256 of every part, known only once they are written).
 */
import { z } from 'zod';

/** The format written; a reader refuses any other. */
export const BACKUP_FORMAT = 'ohr-backup/1';
export const DATABASE_PART = 'database.json';
export { MANIFEST as MANIFEST_PART } from './archive';

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const DatabasePart = z.object({
  format: z.literal(BACKUP_FORMAT),
  createdAt: z.string(),
  source: z.object({ engine: z.enum(['pglite', 'postgres']), description: z.string() }),
  /** Applied migrations at the time of the backup, in order. */
  migrations: z.array(z.string().regex(/^[\w.-]+\.sql$/)).min(1),
  /** The body of `ohr_contact_key()` (migration 003): without it, "same reporter" clusters change after a restore. */
  contactKey: z.string().regex(/^[0-9A-Za-z]{16,256}$/).nullable(),
  /** The TOTP sealing key (base64 of 32 bytes), or null when the hub had none. */
  totpKey: z.base64().nullable(),
  tables: z.array(z.object({ name: z.string().min(1), columns: z.array(z.string().min(1)), identity: z.array(z.string()) })),
});
export type DatabasePart = z.infer<typeof DatabasePart>;

export const Manifest = z.object({
  format: z.literal(BACKUP_FORMAT),
  createdAt: z.string(),
  migrations: z.number().int(),
  /** Rows per table. */
  tables: z.record(z.string(), z.number().int().nonnegative()),
  evidenceFiles: z.number().int().nonnegative(),
  evidenceBytes: z.number().int().nonnegative(),
  /** Evidence whose stored bytes no longer matched their hash when backed up: carried as they were. */
  damagedEvidence: z.array(Sha256),
  parts: z.array(z.object({ name: z.string(), bytes: z.number().int().nonnegative(), sha256: Sha256 })),
});
export type Manifest = z.infer<typeof Manifest>;
export type ManifestFields = Omit<Manifest, 'parts'>;
