/** Integrity of captures: one-copy signing keys, signed capture manifests and sanitised HTML snapshots. */
export { canonicalJson, base64url, fromBase64url } from './canonical';
export { newSigningKey, exportPublicJwk, type SigningKey } from './keys';
export { buildManifest, signManifest, verifyManifest, signedBytes, textMatches, type ManifestInput } from './manifest';
export { sanitizedSnapshot, sanitizedFragment, type SnapshotContext } from './snapshot';
