/**
 * A reporter who closes the tab or loses the network mid-upload is not a hub fault: it is logged as what it is, at
 * info level, never as an "unexpected error" (which would bury real ones and page an operator for nothing).
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub } from '../../../hub/server';
import { captureLogger, openTestDatabase, SETUP_TIMEOUT_MS, type TestDatabase } from './helpers';

let testDb: TestDatabase;
beforeAll(async () => void (testDb = await openTestDatabase()), SETUP_TIMEOUT_MS);
afterAll(() => testDb.dispose());

describe('client disconnects', () => {
  it('are logged at info level, with no error line', async () => {
    const { logger, lines } = captureLogger('info');
    const hub = await startHub({ port: 0, db: { ...testDb.db, close: async () => undefined }, logger, config: { rateLimit: { enabled: false }, shutdownGraceMs: 0 } });
    try {
      for (let i = 0; i < 5; i++) {
        await new Promise<void>((resolve, reject) => {
          const socket = connect(hub.port, '127.0.0.1', () => {
            socket.write(
              `PUT /api/v1/evidence/${'a'.repeat(64)} HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nContent-Length: 100000\r\n\r\n` + 'x'.repeat(1000),
            );
            setTimeout(() => socket.destroy(), 100);
          });
          socket.on('close', () => resolve());
          socket.on('error', reject);
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(lines.filter((line) => Number(line.level) >= 50)).toEqual([]);
      expect(lines.filter((line) => line.msg === 'client disconnected')).toHaveLength(5);
    } finally {
      await hub.close();
    }
  }, SETUP_TIMEOUT_MS);
});
