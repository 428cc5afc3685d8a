/**
 * The local test site: the pages under test/e2e/site/ and the saved platform pages, over real HTTP. Used by the
 * e2e fixtures and by `npm run screenshots`, which runs outside the test runner.
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';

/**
 * The real saved platform pages (`test/fixtures/platforms/`) under `/platforms/`.
 * They are third-party pages: served with a CSP that lets none of their scripts run and loads nothing from
 * elsewhere (the unit tests never run them either). Extension scripts are not bound by a page's CSP.
 */
export const PLATFORM_FIXTURES = new URL('../fixtures/platforms/', import.meta.url);
const PLATFORM_CSP = "script-src 'none'; connect-src 'none'; frame-src 'none'; img-src 'self' data:; font-src 'self'";

export async function serveDirectory(root: URL): Promise<Server> {
  const server = createServer(async (request, response) => {
    const name = new URL(request.url ?? '/', 'http://site').pathname.replace(/^\/+/, '') || 'post.html';
    const platform = /^platforms\/([a-z]+\/[\w.-]+\.html)$/.exec(name);
    if (!platform && !/^[\w-]+\.html$/.test(name)) return void response.writeHead(404).end();
    try {
      const body = await readFile(platform ? new URL(platform[1]!, PLATFORM_FIXTURES) : new URL(name, root));
      const headers = { 'Content-Type': 'text/html; charset=utf-8', ...(platform ? { 'Content-Security-Policy': PLATFORM_CSP } : {}) };
      response.writeHead(200, headers).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
