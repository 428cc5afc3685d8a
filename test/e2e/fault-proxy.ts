/**
 * A reverse proxy between the extension and the hub that misbehaves on request, to show the outbox survives a
 * failing network: answer 500, hang, cut the connection mid-body either way, or hold the hub's answer back while
 * the test kills the extension.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export type Fault =
  | { kind: 'pass' }
  | { kind: 'status'; status: number }
  /** Never answers: the client's time-out must give up. */
  | { kind: 'hang' }
  /** Reads part of the request body, then drops the connection: the hub never sees the request. */
  | { kind: 'cut-request' }
  /** Forwards the request, lets the hub answer, then drops the connection halfway through the answer. */
  | { kind: 'cut-response' }
  /** Forwards the request, and only once `release` resolves drops the connection instead of answering. */
  | { kind: 'hold-then-cut'; release: Promise<void> };

export interface FaultProxy {
  url: string;
  /** Decides each request's fate; requests that are not report POSTs pass unless `all` is set. */
  plan(next: (request: IncomingMessage) => Fault): void;
  /** How many report POSTs reached the proxy. */
  reportPosts: number;
  close(): Promise<void>;
}

export async function startFaultProxy(target: () => string): Promise<FaultProxy> {
  let decide: (request: IncomingMessage) => Fault = () => ({ kind: 'pass' });
  const state = { reportPosts: 0 };
  const server: Server = createServer((request, response) => {
    // By path: a client may ask for more in the query (`?include=signedReceipt`).
    if (request.method === 'POST' && new URL(request.url ?? '/', 'http://proxy').pathname === '/api/v1/reports') state.reportPosts++;
    handle(decide(request), request, response, target()).catch(() => {
      // The hub is down: answer as a gateway would, so the client sees a retryable failure.
      if (!response.headersSent) response.writeHead(502).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    plan: (next) => void (decide = next),
    get reportPosts() {
      return state.reportPosts;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function handle(fault: Fault, request: IncomingMessage, response: ServerResponse, target: string): Promise<void> {
  switch (fault.kind) {
    case 'status':
      request.resume();
      response.writeHead(fault.status, { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': request.headers.origin ?? '*' });
      response.end(JSON.stringify({ error: { code: 'internal', message: 'Injected failure' } }));
      return;
    case 'hang':
      request.resume();
      return;
    case 'cut-request':
      request.once('data', () => request.socket.destroy());
      return;
    default: {
      const upstream = await forward(request, target);
      if (fault.kind === 'cut-response') {
        response.writeHead(upstream.status, { 'Content-Type': 'application/json', 'Content-Length': String(upstream.body.length) });
        response.write(upstream.body.subarray(0, Math.floor(upstream.body.length / 2)));
        setTimeout(() => response.socket?.destroy(), 50);
        return;
      }
      if (fault.kind === 'hold-then-cut') {
        await fault.release;
        response.socket?.destroy();
        return;
      }
      response.writeHead(upstream.status, upstream.headers);
      response.end(upstream.body);
    }
  }
}

function forward(request: IncomingMessage, target: string): Promise<{ status: number; headers: Record<string, string | string[]>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const upstream = httpRequest(new URL(request.url ?? '/', target), { method: request.method, headers: { ...request.headers, host: new URL(target).host } }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => {
        const headers: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(answer.headers)) if (value !== undefined && name !== 'content-length' && name !== 'transfer-encoding') headers[name] = value;
        resolve({ status: answer.statusCode ?? 502, headers, body: Buffer.concat(chunks) });
      });
    });
    upstream.on('error', reject);
    request.pipe(upstream);
  });
}
