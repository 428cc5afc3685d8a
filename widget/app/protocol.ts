/** What the report app's page and its service worker say to each other (`index.ts`, `sw.ts`). */

/** The page, opened by a share, asks the worker for what was shared; the answer is `{ shared: Handover | null }`. */
export const SHARE_READY = 'ohr-share-ready';

/** The Background Sync tag under which the worker sends on reports kept on the phone. */
export const SYNC_TAG = 'ohr-outbox';
