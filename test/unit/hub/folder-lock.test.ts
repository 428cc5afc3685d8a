/**
 * Exactly one opener per PGlite data folder (issue 14, finding 1), with real processes: each opener below is its own
 * `node --import tsx` process running folder-lock-child.ts, killed with a real SIGKILL where the test says so.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FolderInUseError, LOCK_NAME, lockDataFolder, procStat, type LockHolder } from '../../../hub/storage/folder-lock';

const CHILD = fileURLToPath(new URL('./folder-lock-child.ts', import.meta.url));
const hasProc = existsSync('/proc/self/stat');
const bootId = hasProc ? (await readFile('/proc/sys/kernel/random/boot_id', 'utf8')).trim() : null;

type Message = { event: string; [key: string]: unknown };

/** One opener in its own process, driven line by line. */
class Opener {
  readonly process: ChildProcess;
  readonly exited: Promise<number | null>;
  private readonly messages: Message[] = [];
  private waiting: ((message: Message) => void) | undefined;
  pid = 0;

  constructor(folder: string, grace?: number) {
    this.process = spawn(process.execPath, ['--import', 'tsx', CHILD, folder, ...(grace ? [String(grace)] : [])], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    this.exited = new Promise((resolve) => this.process.on('exit', (code) => resolve(code)));
    let buffered = '';
    this.process.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let end;
      while ((end = buffered.indexOf('\n')) >= 0) {
        const message = JSON.parse(buffered.slice(0, end)) as Message;
        buffered = buffered.slice(end + 1);
        if (this.waiting) {
          const deliver = this.waiting;
          this.waiting = undefined;
          deliver(message);
        } else this.messages.push(message);
      }
    });
    openers.push(this);
  }

  /** The next line it says. */
  next(): Promise<Message> {
    const queued = this.messages.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`opener ${this.pid} said nothing for 8 s`)), 8_000);
      this.waiting = (message) => {
        clearTimeout(timer);
        resolve(message);
      };
    });
  }

  async ready(): Promise<this> {
    const message = await this.next();
    expect(message.event).toBe('ready');
    this.pid = message.pid as number;
    return this;
  }

  send(command: string): void {
    this.process.stdin!.write(`${command}\n`);
  }

  async lock(purpose: string): Promise<Message> {
    this.send(`lock ${purpose}`);
    return this.next();
  }
}

const openers: Opener[] = [];
let scratch: string;
let deadPid: number;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'ohr-folder-lock-'));
  // A pid that certainly belonged to a process that is gone now.
  deadPid = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
});

afterEach(async () => {
  for (const opener of openers.splice(0)) {
    if (opener.process.exitCode === null && opener.process.signalCode === null) opener.process.kill('SIGKILL');
    await opener.exited;
  }
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

let folders = 0;
async function freshFolder(): Promise<string> {
  const folder = join(scratch, `data-${++folders}`);
  await mkdir(folder);
  // Something that stands for the database, so "changes nothing" has something to change.
  await writeFile(join(folder, 'PG_VERSION'), '17\n');
  return folder;
}

function holder(overrides: Partial<LockHolder>): LockHolder {
  return {
    pid: deadPid,
    hostname: hostname(),
    startedAt: '2025-01-01T09:00:00.000Z',
    purpose: 'the hub on http://127.0.0.1:8787',
    createdAt: '2025-01-01T09:00:01.000Z',
    startTicks: null,
    bootId,
    ...overrides,
  };
}

/** Puts a holder file into the folder's lock as a process that took it earlier would have left it. */
async function plant(folder: string, content: LockHolder | string, name = `${Math.floor(Math.random() * 1e6)}-planted.json`): Promise<string> {
  await mkdir(join(folder, LOCK_NAME), { recursive: true });
  const file = join(folder, LOCK_NAME, name);
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

/** Every name, size, time and content under a folder. */
async function snapshot(folder: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (dir: string): Promise<void> => {
    for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      const info = await stat(path);
      if (entry.isDirectory()) {
        out[path] = `dir ${info.mtimeMs} ${info.ino}`;
        await walk(path);
      } else out[path] = `file ${info.mtimeMs} ${info.ino} ${await readFile(path, 'utf8')}`;
    }
  };
  await walk(folder);
  return out;
}

async function holderFiles(folder: string): Promise<LockHolder[]> {
  const dir = join(folder, LOCK_NAME);
  if (!existsSync(dir)) return [];
  const names = await readdir(dir);
  return Promise.all(names.map(async (name) => JSON.parse(await readFile(join(dir, name), 'utf8')) as LockHolder));
}

describe('one opener per PGlite data folder', () => {
  it('a second process is refused in plain words (who, since when, what to do) and changes nothing', async () => {
    const folder = await freshFolder();
    const [hub, second] = await Promise.all([new Opener(folder).ready(), new Opener(folder).ready()]);
    expect(await hub.lock('the hub on http://127.0.0.1:8787')).toMatchObject({ event: 'locked', path: join(folder, LOCK_NAME) });
    const before = await snapshot(folder);

    const refused = await second.lock('create-moderator');
    expect(refused).toMatchObject({ event: 'refused', name: 'FolderInUseError', reason: 'running' });
    expect(refused.holder).toMatchObject({ pid: hub.pid, purpose: 'the hub on http://127.0.0.1:8787', hostname: hostname() });
    const message = refused.message as string;
    expect(message).toContain(`The data folder ${folder} is in use by another process: pid ${hub.pid} (the hub on http://127.0.0.1:8787)`);
    expect(message).toMatch(/holding it since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    expect(message).toContain('a second one corrupts the data');
    expect(message).toContain(`Stop that process first (Ctrl+C in its terminal, or \`kill ${hub.pid}\`)`);
    expect(message).toContain('accounts, for example');
    expect(await snapshot(folder)).toEqual(before);

    // Asking again changes nothing either, and the holder still holds.
    expect(await second.lock('create-moderator')).toMatchObject({ event: 'refused', reason: 'running' });
    expect(await snapshot(folder)).toEqual(before);
  });

  it('after the holder is killed with SIGKILL, the next opener takes the folder at once', async () => {
    const folder = await freshFolder();
    const [hub, next] = await Promise.all([new Opener(folder).ready(), new Opener(folder).ready()]);
    expect(await hub.lock('the hub on http://127.0.0.1:8787')).toMatchObject({ event: 'locked' });
    hub.process.kill('SIGKILL');
    await hub.exited;
    expect(await holderFiles(folder)).toMatchObject([{ pid: hub.pid }]); // a crash leaves the lock behind…

    const taken = await next.lock('the hub on http://127.0.0.1:8787');
    expect(taken).toMatchObject({ event: 'locked' });
    expect(taken.ms).toBeLessThan(1_000); // …and it is recovered at once, not after a timeout
    expect(await holderFiles(folder)).toMatchObject([{ pid: next.pid }]);
  });

  it.skipIf(!hasProc)('a lock naming a live pid that now belongs to another process (pid reuse) is recovered', async () => {
    const folder = await freshFolder();
    const opener = await new Opener(folder).ready();
    // This test process is alive; a lock in its pid recorded with another start time was left by an earlier process.
    const mine = procStat(process.pid)!;
    const reused = await plant(folder, holder({ pid: process.pid, startTicks: String(Number(mine.startTicks) + 1) }));
    expect(await opener.lock('create-moderator')).toMatchObject({ event: 'locked' });
    expect(existsSync(reused)).toBe(false);
    opener.send('release');
    expect(await opener.next()).toMatchObject({ event: 'released' });

    // Recorded before this machine last started: stale, whatever has that pid now.
    await plant(folder, holder({ pid: process.pid, startTicks: mine.startTicks, bootId: 'an-earlier-boot' }));
    expect(await opener.lock('create-moderator')).toMatchObject({ event: 'locked' });
    opener.send('release');
    expect(await opener.next()).toMatchObject({ event: 'released' });

    // With its true start time and boot, the same pid is the live holder.
    await plant(folder, holder({ pid: process.pid, startTicks: mine.startTicks }));
    const before = await snapshot(folder);
    expect(await opener.lock('create-moderator')).toMatchObject({ event: 'refused', reason: 'running', holder: { pid: process.pid } });
    expect(await snapshot(folder)).toEqual(before);
  });

  it('a lock taken on another host is never taken over, and the refusal says so', async () => {
    const folder = await freshFolder();
    const opener = await new Opener(folder).ready();
    // Its pid is dead here, which says nothing about the other computer.
    await plant(folder, holder({ hostname: 'reporting-centre-2.example' }));
    const before = await snapshot(folder);
    const refused = await opener.lock('the hub on http://127.0.0.1:8787');
    expect(refused).toMatchObject({ event: 'refused', reason: 'other-host', holder: { hostname: 'reporting-centre-2.example' } });
    const message = refused.message as string;
    expect(message).toContain(`locked by pid ${deadPid} (the hub on http://127.0.0.1:8787) on another computer, "reporting-centre-2.example"`);
    expect(message).toContain('will not take the folder over');
    expect(message).toContain(`delete ${join(folder, LOCK_NAME)} by hand`);
    expect(await snapshot(folder)).toEqual(before);
  });

  it('processes racing to take one folder, or to recover one stale lock, never both win: exactly one does', async () => {
    const folder = await freshFolder();
    const racers = await Promise.all([1, 2, 3, 4].map(() => new Opener(folder).ready()));
    const stale = [
      null, // no lock at all: the plain race to mkdir
      holder({}), // killed holder: pid gone
      holder({ pid: process.pid, startTicks: '1' }), // pid reused
      holder({}),
      'not json, and written long ago', // half-written by a process killed mid-write
      holder({}),
    ];
    for (const [round, planted] of stale.entries()) {
      if (planted && typeof planted !== 'string' && planted.pid === process.pid && !hasProc) continue;
      let file: string | undefined;
      if (planted) file = await plant(folder, planted);
      if (typeof planted === 'string') await utimes(file!, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));

      for (const racer of racers) racer.send(`lock racer ${round}`);
      const results = await Promise.all(racers.map((racer) => racer.next()));
      const winners = racers.filter((_, i) => results[i]!.event === 'locked');
      expect(winners, `round ${round}: ${JSON.stringify(results)}`).toHaveLength(1);
      const winner = winners[0]!;
      for (const result of results.filter((r) => r.event !== 'locked')) {
        expect(result).toMatchObject({ event: 'refused', reason: 'running', holder: { pid: winner.pid, purpose: `racer ${round}` } });
      }
      expect(await holderFiles(folder)).toMatchObject([{ pid: winner.pid }]);
      if (file) expect(existsSync(file)).toBe(false);
      winner.send('release');
      expect(await winner.next()).toMatchObject({ event: 'released' });
      expect(existsSync(join(folder, LOCK_NAME))).toBe(false);
    }
  });

  it('a half-written holder file is waited for while young and recovered once old', async () => {
    const folder = await freshFolder();
    const opener = await new Opener(folder, 800).ready();

    // Old and unreadable: its writer was killed between creating and writing it.
    const old = await plant(folder, '');
    await utimes(old, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    const taken = await opener.lock('create-moderator');
    expect(taken).toMatchObject({ event: 'locked' });
    expect(taken.ms).toBeLessThan(500);
    opener.send('release');
    await opener.next();

    // Young: being written right now, so wait; it never gets written, so it is stale after the grace period.
    await plant(folder, '{"pid": 12');
    const waited = await opener.lock('create-moderator');
    expect(waited).toMatchObject({ event: 'locked' });
    expect(waited.ms).toBeGreaterThanOrEqual(700);
    opener.send('release');
    await opener.next();

    // Young, then written while the opener waits: the opener reads who holds it.
    const young = await plant(folder, '');
    opener.send('lock create-moderator');
    await new Promise((resolve) => setTimeout(resolve, 100));
    await writeFile(young, JSON.stringify(holder({ hostname: 'reporting-centre-2.example' })));
    expect(await opener.next()).toMatchObject({ event: 'refused', reason: 'other-host' });
  });

  it('release() and a normal exit leave no lock behind', async () => {
    const folder = await freshFolder();
    const opener = await new Opener(folder).ready();
    expect(await opener.lock('create-moderator')).toMatchObject({ event: 'locked' });
    opener.send('release');
    expect(await opener.next()).toMatchObject({ event: 'released' });
    expect(existsSync(join(folder, LOCK_NAME))).toBe(false);

    expect(await opener.lock('create-moderator')).toMatchObject({ event: 'locked' });
    opener.send('exit'); // ends the process normally, still holding the lock
    expect(await opener.exited).toBe(0);
    expect(existsSync(join(folder, LOCK_NAME))).toBe(false);
    expect(await readdir(folder)).toEqual(['PG_VERSION']);
  });

  it('release() removes only its own lock, never a later holder’s', async () => {
    const folder = await freshFolder();
    const mine = await lockDataFolder(folder, 'this test');
    // Someone judged this lock stale (say the machine was suspended for hours) and another process took the folder.
    await rm(mine.path, { recursive: true });
    const other = await new Opener(folder).ready();
    expect(await other.lock('the hub on http://127.0.0.1:8787')).toMatchObject({ event: 'locked' });
    await mine.release();
    expect(await holderFiles(folder)).toMatchObject([{ pid: other.pid }]);
  });

  it('creates a missing folder, and refuses a second lock on it in this same process', async () => {
    const folder = join(scratch, 'missing', 'data');
    const first = await lockDataFolder(folder, 'the hub on http://127.0.0.1:8787');
    expect(first.path).toBe(join(folder, LOCK_NAME));
    const again = lockDataFolder(`${folder}/./`, 'create-moderator');
    await expect(again).rejects.toThrow(FolderInUseError);
    await expect(again).rejects.toMatchObject({ reason: 'this-process', message: expect.stringContaining('already open in this process') });
    await first.release();
    await first.release(); // twice is harmless
    expect(existsSync(first.path)).toBe(false);
    const second = await lockDataFolder(folder, 'create-moderator');
    await second.release();
  });
});
