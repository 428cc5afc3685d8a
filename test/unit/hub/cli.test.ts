import { describe, expect, it } from 'vitest';
import { main, parseCli } from '../../../hub/cli';
import { SETUP_TIMEOUT_MS } from './helpers';

describe('hub CLI arguments', () => {
  it('defaults to port 8787, 127.0.0.1 and PGlite in ./data', () => {
    expect(parseCli([], {})).toEqual({
      kind: 'run',
      options: { port: 8787, host: '127.0.0.1', dataDir: './data', config: {} },
      database: 'PGlite in ./data',
    });
  });

  it('reads the environment, and flags win over it', () => {
    const env = { PORT: '9000', OHR_DATA_DIR: '/var/lib/ohr', HOST: '0.0.0.0' };
    expect(parseCli([], env)).toMatchObject({ kind: 'run', options: { port: 9000, dataDir: '/var/lib/ohr', host: '0.0.0.0' } });
    expect(parseCli(['--port', '9100', '--data', 'here', '--host', '::1'], env)).toMatchObject({
      kind: 'run',
      options: { port: 9100, dataDir: 'here', host: '::1' },
    });
  });

  it('uses PostgreSQL from DATABASE_URL and never shows its password', () => {
    const parsed = parseCli([], { DATABASE_URL: 'postgres://ohr:s3cret@db.internal:5432/ohr' });
    expect(parsed).toMatchObject({ kind: 'run', options: { databaseUrl: 'postgres://ohr:s3cret@db.internal:5432/ohr' } });
    expect(parsed.kind === 'run' && parsed.database).toBe('PostgreSQL at postgres://ohr:***@db.internal:5432/ohr');
  });

  it('takes the public address and extra CORS origins', () => {
    const parsed = parseCli(['--public-url', 'https://report.example.org'], { OHR_CORS_ORIGINS: 'https://a.example, https://b.example' });
    expect(parsed).toMatchObject({
      kind: 'run',
      options: { config: { publicBaseUrl: 'https://report.example.org', corsOrigins: ['https://a.example', 'https://b.example'] } },
    });
  });

  it('says what is wrong with a bad port or an unknown flag', () => {
    expect(parseCli(['--port', 'eighty'], {})).toEqual({ kind: 'error', message: 'Invalid port "eighty": use a whole number from 0 to 65535' });
    expect(parseCli([], { PORT: '70000' })).toMatchObject({ kind: 'error', message: expect.stringContaining('"70000"') });
    expect(parseCli(['--colour'], {})).toMatchObject({ kind: 'error', message: expect.stringContaining('--colour') });
    expect(parseCli(['extra'], {})).toMatchObject({ kind: 'error' });
  });
});

describe('hub CLI main', () => {
  const capture = () => {
    const lines = { log: [] as string[], error: [] as string[] };
    return { lines, io: { log: (line: string) => lines.log.push(line), error: (line: string) => lines.error.push(line) } };
  };

  it('exits with code 2 and a clear message on invalid arguments', async () => {
    const { lines, io } = capture();
    expect(await main(['--port=-1'], {}, io)).toEqual({ exitCode: 2 });
    expect(lines.error.join('\n')).toContain('Invalid port "-1"');
    expect(lines.error.join('\n')).toContain('Usage: npm run hub');
  });

  it('starts the hub and announces where it listens', async () => {
    const { lines, io } = capture();
    const schema = `ohr_test_cli_${process.pid}`;
    const env = { OHR_LOG_LEVEL: 'silent', ...(process.env.DATABASE_URL ? { DATABASE_URL: `${process.env.DATABASE_URL}?schema=${schema}` } : { OHR_DATA_DIR: 'memory://' }) };
    const result = await main(['--port', '0'], env, io);
    if (!('hub' in result)) throw new Error(`did not start: ${lines.error.join('\n')}`);
    try {
      const database = process.env.DATABASE_URL ? 'PostgreSQL at ' : 'PGlite in memory\\)';
      // A fresh hub has no account: the banner names the console and prints the one-time setup link.
      expect(lines.log).toEqual([
        expect.stringMatching(new RegExp(`^OHR hub listening on ${result.hub.url} \\(database: ${database}`)),
        `Triage console: ${result.hub.url}/console`,
        expect.stringContaining('No console account yet'),
        expect.stringContaining('restart the hub for a new one'),
        `  ${result.hub.setupUrl}`,
      ]);
      expect(result.hub.setupUrl).toMatch(/\/console\/setup\?token=[A-Za-z0-9_-]{43}$/);
      expect((await fetch(result.hub.setupUrl!)).status).toBe(200);
      expect((await fetch(`${result.hub.url}/.well-known/ohr`)).status).toBe(200);
    } finally {
      if (process.env.DATABASE_URL) await result.hub.db.query(`DROP SCHEMA ${schema} CASCADE`);
      await result.hub.close();
    }
  }, SETUP_TIMEOUT_MS);
});
