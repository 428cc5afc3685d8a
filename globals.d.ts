/** Build-time constants defined in wxt.config.ts. */
declare const __OHR_REQUEST_TIMEOUT_MS__: number;
/** True only in the end-to-end tests' build (OHR_E2E=1), which exposes the menu and shortcut listeners to the tests. */
declare const __OHR_E2E__: boolean;
