/**
 * Where the Items step offers fingerprints (intimate-image abuse, to a hub that takes them): the field itself and PDQ
 * come from the hub (`fingerprint-field.ts`, served as `/widget/pdq.js`), loaded the first time the field is needed,
 * so the widget's script carries only this. If it cannot be loaded the person is told and can send the pictures.
 */
import type { Discovery } from '@/lib/schema';
import type { Answers } from './answers';
import { hubModule } from './hub-module';

type FieldModule = typeof import('./fingerprint-field');
let field: FieldModule | undefined;
let loading: Promise<void> | undefined;

/**
 * The choice is offered for this report: it is about intimate-image abuse and the hub matches fingerprints (PDQ, the
 * only algorithm the protocol names, so any listed will do).
 */
export const fingerprintsOffered = (answers: Answers, discovery: Discovery) =>
  answers.incident?.harmTypes?.includes('intimate_image_abuse') && discovery.perceptualHashes?.[0];

/** The field's module once loaded (undefined until then); `loaded` or `failed` is called when the load ends. */
export function fingerprintField(discovery: Discovery, loaded: () => void, failed: () => void): FieldModule | undefined {
  loading ??= hubModule<FieldModule>(discovery, 'pdq.js').then(
    (module) => ((field = module), loaded()),
    () => ((loading = undefined), failed()),
  );
  return field;
}
