/**
 * Perceptual fingerprints of pictures (issue 23): PDQ (`pdq.ts`), made in the browser (`fingerprint.ts`), sent instead
 * of the picture when the report is about intimate-image abuse and the person chooses so (the default for that harm).
 */
import type { HARM_TYPES } from '../schema/vocabulary';

export { hammingDistance, pdqHash, type PdqResult } from './pdq';
export { fingerprintOf } from './fingerprint';

/** The harm for which a picture is, by default, sent only as its fingerprint: sending it again repeats the harm. */
export const FINGERPRINT_HARM: (typeof HARM_TYPES)[number] = 'intimate_image_abuse';

/** How the pictures of a report go: as files the organisation can see, or only as fingerprints it cannot see. */
export type PictureChoice = 'fingerprint' | 'upload';

/** The choice offered first: fingerprints only when the report is about intimate-image abuse. */
export function defaultPictureChoice(harmTypes: readonly string[] | undefined): PictureChoice {
  return harmTypes?.includes(FINGERPRINT_HARM) ? 'fingerprint' : 'upload';
}
