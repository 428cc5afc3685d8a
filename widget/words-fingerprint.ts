/**
 * The words of the fingerprint field (`fingerprint-field.ts`), which comes in its own module from the hub: kept here,
 * spread into `words-en.ts`, so that the language packs translate them like every other word of the widget (a pack
 * maps each English text to its translation, and the field draws through the widget's translating `h` and `format`).
 */
export const fingerprintWords = {
  'widget.pictures.fingerprint': 'Send only a fingerprint of each picture — the organisation won’t see it',
  'widget.pictures.fingerprintHint': 'Made on this device, it shows them when the same picture is reported again; the picture stays with you. Untick to send the pictures.',
  'widget.pictures.files': 'Pictures for address {number} (only their fingerprints are sent)',
  'widget.items.fingerprinted': '{name}: fingerprint only',
  'widget.items.removeFile': 'Remove {name}',
  'widget.fingerprint.failed': 'No fingerprint could be made of {name}.',
} as const;
