/** Ways in to a capture (menu, shortcut, toolbar): find the element, read the post, screenshot, crop, hash. */
export { locateTarget, REMEMBERED_TTL_MS, type LocateHints, type LocateClues, type TriggerKind } from './locate';
export { captureInPage, type InPageRequest, type InPageResult } from './in-page';
export { readPageViaScripting, CAPTURE_SCRIPT, type ScriptingApi, type ScriptTarget } from './inject';
export { paced, realClock, PACED_INTERVAL_MS, type PacerClock } from './pacer';
export { captureTarget, type CaptureIo, type CaptureRequest, type Captured, type AnyCanvasKit } from './pipeline';
export { captureFullPage, pageMetricsInPage, scrollInPage, type FullPageIo } from './full-page';
export { REMEMBERED_KEY, CAPTURE_KEY } from './memory';
