/**
 * The console's Content Security Policy, in one place: index.ts sends it with every console response, and a page that
 * loads a script file of the console's own (progressive enhancement: the queue's keyboard shortcuts) adds
 * `script-src 'self'` for itself alone with `ownScripts`. No page allows inline script, `eval` or another origin.
 */
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

export const CONSOLE_CSP = {
  defaultSrc: ["'none'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
};

/**
 * The console's policy with script files from its own origin allowed, for the routes it is put on. It runs inside
 * the console's own headers middleware, which keeps a header a route has set (`overwrite: false`).
 */
export function ownScripts(options: { fetchesOwnOrigin?: boolean } = {}): MiddlewareHandler {
  // A script that calls the hub back (the sealed-contact page records its reveal) also needs `connect-src 'self'`.
  const connect = options.fetchesOwnOrigin ? { connectSrc: ["'self'"] } : {};
  return secureHeaders({
    contentSecurityPolicy: { ...CONSOLE_CSP, scriptSrc: ["'self'"], ...connect },
    referrerPolicy: false,
    xFrameOptions: false,
    xContentTypeOptions: false,
    crossOriginResourcePolicy: false,
    crossOriginOpenerPolicy: false,
    crossOriginEmbedderPolicy: false,
    originAgentCluster: false,
    strictTransportSecurity: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
  });
}
