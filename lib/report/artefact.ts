import type { EvidenceMediaType } from '../schema';

/**
 * The bytes behind one evidence entry of a report (`Evidence.sha256` names them), kept until they are uploaded to the
 * hub (`PUT` to its evidence address) or written into an evidence pack.
 */
export interface Artefact {
  sha256: string;
  mediaType: EvidenceMediaType;
  bytes: Uint8Array<ArrayBuffer>;
}
