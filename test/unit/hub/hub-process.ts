/**
 * The hub as a real process (`node --import tsx hub/cli.ts`), for tests that kill it, signal it, or start a second one
 * on the same folder: what an operator or a supervisor does, not what an in-process call can show.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface HubProcess {
  child: ChildProcess;
  /** Everything printed so far, stdout and stderr together. */
  output(): string;
  /** Resolves with the exit code (or 128 + signal number). */
  exited: Promise<number>;
}

/** Starts `npm run hub -- ARGS` as `node` would (no npm in between, so signals reach the hub itself). */
export function spawnHub(args: readonly string[], env: Record<string, string | undefined> = {}): HubProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'hub/cli.ts', ...args], {
    cwd: ROOT,
    // An undefined value removes the variable (e.g. DATABASE_URL, for a PGlite hub during the PostgreSQL pass).
    env: Object.fromEntries(Object.entries({ ...process.env, OHR_LOG_LEVEL: 'warn', ...env }).filter(([, value]) => value !== undefined)),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? 128 + (signal === 'SIGKILL' ? 9 : signal === 'SIGTERM' ? 15 : 0))),
  );
  return { child, output: () => text, exited };
}

/** Waits for the "listening on URL" line and returns the URL; throws with the output if the hub exits first. */
export async function listeningUrl(hub: HubProcess, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void hub.exited.then(() => (exited = true));
  while (Date.now() < deadline) {
    const match = /listening on (http:\/\/\S+)/.exec(hub.output());
    if (match?.[1]) return match[1];
    if (exited) throw new Error(`The hub exited before listening:\n${hub.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`The hub did not start within ${timeoutMs} ms:\n${hub.output()}`);
}

/** Resolves to the exit code, or rejects if the process is still running after `ms`. */
export function exitWithin(hub: HubProcess, ms: number): Promise<number> {
  return Promise.race([
    hub.exited,
    new Promise<number>((_, reject) => setTimeout(() => reject(new Error(`Still running after ${ms} ms:\n${hub.output()}`)), ms)),
  ]);
}
