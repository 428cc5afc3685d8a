/**
 * Moderator wellbeing (issue 19 item 5, as ROOST Coop does it): the organisation's defaults for how captured content
 * is shown (pictures blurred, pictures in greyscale, captured words hidden until asked for; all on unless an admin
 * turns one off), each moderator's own choice over them, and the reminder to take a break after a stretch of
 * continuous work in the queue and report pages (migration 014).
 *
 * `wellbeingFor` is the one place the effective settings come from: the console's sign-in guard calls it for every
 * page, so every page (the report view, the queue's thumbnails) reads them from the session (`SessionView.wellbeing`).
 */
import { z } from 'zod';
import type { Queryable } from '../db';

/** The three ways captured content can be held back until a moderator asks to see it. */
export const PROTECTIONS = ['blurMedia', 'greyscaleMedia', 'hideText'] as const;
export type Protection = (typeof PROTECTIONS)[number];
export type Protections = Record<Protection, boolean>;

/** A moderator's own choice for each protection: undefined follows the organisation. */
export type Overrides = Partial<Protections>;

export const REMINDER_MAX_MINUTES = 480;
/** A gap this long between two pages of the queue or a report counts as a break: the next page starts a new stretch. */
export const BREAK_MINUTES = 10;

export interface OrganisationDefaults extends Protections {
  /** Minutes of continuous work before the reminder; 0: no reminder. */
  reminderMinutes: number;
}

export const DefaultsInput = z.object({
  blurMedia: z.boolean(),
  greyscaleMedia: z.boolean(),
  hideText: z.boolean(),
  reminderMinutes: z.number().int().min(0).max(REMINDER_MAX_MINUTES),
});

/** What a page needs: the protections in force for this moderator, and whether to remind them to take a break. */
export interface Wellbeing extends Protections {
  /** Minutes of the current stretch when it is time for the reminder; undefined otherwise. */
  remindAfter: number | undefined;
}

/** The effective protections: the moderator's own choice where they made one, the organisation's otherwise. */
export function resolveProtections(defaults: Protections, own: Overrides): Protections {
  return {
    blurMedia: own.blurMedia ?? defaults.blurMedia,
    greyscaleMedia: own.greyscaleMedia ?? defaults.greyscaleMedia,
    hideText: own.hideText ?? defaults.hideText,
  };
}

/** Whether a stretch that began at `started` is long enough for the reminder at `now`. */
export function reminderDue(reminderMinutes: number, started: Date | null, now: Date): boolean {
  return reminderMinutes > 0 && started !== null && now.getTime() - started.getTime() >= reminderMinutes * 60_000;
}

interface DefaultsRow {
  blurMedia: boolean;
  greyscaleMedia: boolean;
  hideText: boolean;
  reminderMinutes: number;
}

export async function organisationDefaults(db: Queryable): Promise<OrganisationDefaults> {
  const [row] = await db.query<DefaultsRow>(
    `SELECT blur_media AS "blurMedia", greyscale_media AS "greyscaleMedia", hide_text AS "hideText", reminder_minutes AS "reminderMinutes"
       FROM wellbeing_defaults`,
  );
  // The migration inserts the row and nothing deletes it; all on is what the organisation gets if it ever went.
  return row ?? { blurMedia: true, greyscaleMedia: true, hideText: true, reminderMinutes: 45 };
}

export async function setOrganisationDefaults(db: Queryable, input: z.output<typeof DefaultsInput>, actorId: string): Promise<void> {
  await db.query(
    `INSERT INTO wellbeing_defaults (id, blur_media, greyscale_media, hide_text, reminder_minutes, updated_at, updated_by)
     VALUES (true, $1, $2, $3, $4, now(), $5)
     ON CONFLICT (id) DO UPDATE SET blur_media = $1, greyscale_media = $2, hide_text = $3, reminder_minutes = $4, updated_at = now(), updated_by = $5`,
    [input.blurMedia, input.greyscaleMedia, input.hideText, input.reminderMinutes, actorId],
  );
}

interface OwnRow {
  blurMedia: boolean | null;
  greyscaleMedia: boolean | null;
  hideText: boolean | null;
  stintStartedAt: Date | null;
  stintSeenAt: Date | null;
}

async function ownRow(db: Queryable, moderatorId: string): Promise<OwnRow | undefined> {
  const [row] = await db.query<OwnRow>(
    `SELECT blur_media AS "blurMedia", greyscale_media AS "greyscaleMedia", hide_text AS "hideText",
            stint_started_at AS "stintStartedAt", stint_seen_at AS "stintSeenAt"
       FROM moderator_wellbeing WHERE moderator_id = $1`,
    [moderatorId],
  );
  return row;
}

const overridesOf = (row: OwnRow | undefined): Overrides =>
  Object.fromEntries(PROTECTIONS.flatMap((key) => (row && row[key] !== null ? [[key, row[key]]] : []))) as Overrides;

/** A moderator's own choices (for the account page's form): only those they made. */
export async function ownChoices(db: Queryable, moderatorId: string): Promise<Overrides> {
  return overridesOf(await ownRow(db, moderatorId));
}

/** Saves a moderator's own choices; a protection left undefined follows the organisation again. */
export async function setOwnChoices(db: Queryable, moderatorId: string, own: Overrides): Promise<void> {
  await db.query(
    `INSERT INTO moderator_wellbeing (moderator_id, blur_media, greyscale_media, hide_text) VALUES ($1, $2, $3, $4)
     ON CONFLICT (moderator_id) DO UPDATE SET blur_media = $2, greyscale_media = $3, hide_text = $4`,
    [moderatorId, own.blurMedia ?? null, own.greyscaleMedia ?? null, own.hideText ?? null],
  );
}

/**
 * The effective settings for a moderator's page at `now`. With `working` (a page of the queue or a report) the page
 * counts towards the current stretch of work: it starts a stretch when there is none or the last page was more than
 * BREAK_MINUTES ago, and otherwise extends it. Other pages (the account page, admin) neither start nor end one.
 */
export async function wellbeingFor(db: Queryable, moderatorId: string, now: Date, working: boolean): Promise<Wellbeing> {
  const [defaults, row] = await Promise.all([organisationDefaults(db), ownRow(db, moderatorId)]);
  let started = row?.stintStartedAt ?? null;
  if (working) started = await touchStretch(db, moderatorId, row, now);
  return {
    ...resolveProtections(defaults, overridesOf(row)),
    remindAfter: working && reminderDue(defaults.reminderMinutes, started, now) ? defaults.reminderMinutes : undefined,
  };
}

/** Records a working page at `now`; returns when the current stretch began. */
async function touchStretch(db: Queryable, moderatorId: string, row: OwnRow | undefined, now: Date): Promise<Date> {
  const lastSeen = row?.stintSeenAt ?? null;
  const fresh = !row?.stintStartedAt || !lastSeen || now.getTime() - lastSeen.getTime() > BREAK_MINUTES * 60_000;
  const started = fresh ? now : row!.stintStartedAt!;
  await db.query(
    `INSERT INTO moderator_wellbeing (moderator_id, stint_started_at, stint_seen_at) VALUES ($1, $2, $3)
     ON CONFLICT (moderator_id) DO UPDATE SET stint_started_at = $2, stint_seen_at = $3`,
    [moderatorId, started, now],
  );
  return started;
}

/** The moderator read the reminder and carries on: the stretch starts again now, so it comes back after as long again. */
export async function restartStretch(db: Queryable, moderatorId: string, now: Date): Promise<void> {
  await db.query(
    `INSERT INTO moderator_wellbeing (moderator_id, stint_started_at, stint_seen_at) VALUES ($1, $2, $2)
     ON CONFLICT (moderator_id) DO UPDATE SET stint_started_at = $2, stint_seen_at = $2`,
    [moderatorId, now],
  );
}
