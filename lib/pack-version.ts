/**
 * The version of a widget language pack (widget/packs.ts writes it into the script, hub/widget-lang.ts checks it):
 * the first 12 hexadecimal digits of the pack's SHA-256, so its address changes when, and only when, its words do.
 * Node only (build time and the hub).
 */
import { createHash } from 'node:crypto';

export const packVersion = (json: string | Uint8Array): string => createHash('sha256').update(json).digest('hex').slice(0, 12);
