/** Build-time constants defined in wxt.config.ts. */
declare const __OHR_REQUEST_TIMEOUT_MS__: number;
