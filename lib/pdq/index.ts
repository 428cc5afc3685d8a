/**
 * Perceptual fingerprints of pictures (issue 23): PDQ (`pdq.ts`), made in the browser (`fingerprint.ts`), sent instead
 * of the picture when the report is about intimate-image abuse and the person keeps the default (`choice.ts`).
 */
export { hammingDistance, pdqHash, type PdqResult } from './pdq';
export { fingerprintOf } from './fingerprint';
export { FINGERPRINT_HARM, offersFingerprints, type PictureChoice } from './choice';
