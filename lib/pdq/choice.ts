/**
 * Whether a report's pictures go as files or only as fingerprints: a module of its own, without the hash, so that the
 * widget can ask it without carrying PDQ (which it loads only when a fingerprint is made).
 */
import type { HARM_TYPES } from '../schema/vocabulary';

/** The harm for which a picture is, by default, sent only as its fingerprint: sending it again repeats the harm. */
export const FINGERPRINT_HARM: (typeof HARM_TYPES)[number] = 'intimate_image_abuse';

/** How the pictures go: as files the organisation can see, or only as fingerprints it cannot see. */
export type PictureChoice = 'fingerprint' | 'upload';

/** The choice is offered for a report of intimate-image abuse to a hub that takes PDQ fingerprints. */
export function offersFingerprints(harmTypes: readonly string[] | undefined, hubTakes: readonly string[] | undefined): boolean {
  return Boolean(harmTypes?.includes(FINGERPRINT_HARM) && hubTakes?.includes('pdq'));
}
