/**
 * Exactly one opener per PGlite data folder. PGlite writes `postmaster.pid` with pid −42 and enforces nothing, and two
 * processes on one folder corrupt it (issue 14), so every command that opens a folder takes this lock first and holds
 * it for as long as the folder is open.
 *
 * The lock is a directory, `<folder>/ohr.lock`, made with mkdir(2) (atomic: exactly one maker wins), holding one file
 * with a name used once, `<pid>-<random>.json`, created O_EXCL and fsynced, that says who holds the folder:
 * {pid, hostname, startedAt, purpose, createdAt} plus the kernel's identity of the process (start time in clock ticks
 * from /proc/<pid>/stat field 22, and the boot id) where /proc exists.
 *
 * Why a directory and not a single `ohr.lock` file: a stale lock must be removed only if it is still the stale one that
 * was examined, and POSIX has no "remove this name only if it is still that file". With a single file, a recoverer that
 * examined the stale file can, a moment later, move away the fresh lock of the process that recovered first (its
 * restore then races a third opener, and a recoverer killed in between loses the winner's lock for good). Here a
 * recoverer only ever deletes a holder file by its once-used name, which can only be the file it examined, and removes
 * the directory with rmdir(2), which fails while any holder file is inside. A taker that finds anyone else's file beside
 * its own after creating it backs off, so two can never both believe they hold the folder.
 *
 * A stale lock (the holder was `kill -9`-ed, the machine lost power) is recovered at once: the pid is gone (ESRCH), a
 * zombie, or now another process (a different start time or boot id). A lock taken on another host (shared storage) is
 * never taken over: this host cannot see that process. A holder file that cannot be read (its writer was killed between
 * creating and writing it) is stale once it is older than a few seconds; before that the opener waits for it.
 *
 * `release()` deletes only this lock's own file; a normal exit (the 'exit' event, also after `process.exit()`) releases
 * synchronously. Nothing is done on a crash or an unhandled signal: that is what stale recovery is for.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, rmdirSync, unlinkSync } from 'node:fs';
import { mkdir, open, readFile, readdir, realpath, rmdir, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** The lock's name inside a data folder. */
export const LOCK_NAME = 'ohr.lock';

/** Who holds a folder, as written in the holder file. */
export interface LockHolder {
  readonly pid: number;
  readonly hostname: string;
  /** When the holding process started (ISO 8601). */
  readonly startedAt: string;
  /** What the holder is, in words for a second opener: 'the hub on http://127.0.0.1:8787', 'create-moderator'. */
  readonly purpose: string;
  /** When the lock was taken (ISO 8601). */
  readonly createdAt: string;
  /** The process's start time in clock ticks since boot (/proc/<pid>/stat field 22); null where there is no /proc. */
  readonly startTicks: string | null;
  /** /proc/sys/kernel/random/boot_id when the lock was taken; null where there is none. */
  readonly bootId: string | null;
}

export interface FolderLock {
  /** The lock directory, `<folder>/ohr.lock`. */
  readonly path: string;
  /** Gives the folder up; deletes only this lock's own holder file. Safe to call twice. */
  release(): Promise<void>;
}

export interface FolderLockOptions {
  /** An unreadable holder file younger than this is being written: wait for it. Older, it is stale. Default 5 s. */
  halfWrittenGraceMs?: number;
}

export type FolderInUseReason = 'running' | 'other-host' | 'this-process';

/** Thrown by lockDataFolder when another process (or this one) holds the folder. */
export class FolderInUseError extends Error {
  constructor(
    /** The data folder, as an absolute path. */
    readonly folder: string,
    /** The lock directory, so a caller can say what to delete when `reason` is 'other-host'. */
    readonly lockPath: string,
    readonly holder: LockHolder,
    /** 'running': a live process on this host. 'other-host': unknowable from here. 'this-process': opened twice. */
    readonly reason: FolderInUseReason,
  ) {
    super(describe(folder, lockPath, holder, reason));
    this.name = 'FolderInUseError';
  }
}

/** Takes the folder's lock for this process, or throws FolderInUseError. The folder is created if it is missing. */
export async function lockDataFolder(folder: string, purpose: string, options: FolderLockOptions = {}): Promise<FolderLock> {
  const grace = options.halfWrittenGraceMs ?? 5_000;
  await mkdir(folder, { recursive: true });
  const root = await realpath(folder);
  const lockDir = join(root, LOCK_NAME);
  const own = registry().get(lockDir);
  if (own) throw new FolderInUseError(root, lockDir, own.holder, 'this-process');

  const holder = self(purpose);
  const content = `${JSON.stringify(holder, null, 2)}\n`;
  // Waiting is only ever for a holder file being written or a contender backing off; bounded all the same.
  const deadline = Date.now() + grace + 5_000;
  for (;;) {
    const file = await tryTake(root, lockDir, content);
    if (file) {
      const entry: Held = { lockDir, file, holder };
      registry().set(lockDir, entry);
      return {
        path: lockDir,
        release: async () => {
          if (registry().get(lockDir) !== entry) return;
          registry().delete(lockDir);
          await ignoring(['ENOENT'], unlink(file));
          await ignoring(['ENOENT', 'ENOTEMPTY', 'EEXIST'], rmdir(lockDir));
        },
      };
    }
    const found = await examine(lockDir, grace);
    if (found.kind === 'held') throw new FolderInUseError(root, lockDir, found.holder, found.reason);
    if (Date.now() > deadline) {
      throw new Error(
        `Could not take the lock ${lockDir}: it kept changing for ${Math.round((grace + 5_000) / 1000)} s. ` +
          'Another program may be starting on this data folder; try again once it has started or stopped.',
      );
    }
    await sleep(found.kind === 'wait' ? 40 + Math.random() * 60 : Math.random() * 10);
  }
}

// ---------------------------------------------------------------------------------------------------------------------

interface Held {
  readonly lockDir: string;
  readonly file: string;
  readonly holder: LockHolder;
}

/** The locks this process holds, shared by every copy of this module (a test runner may load it more than once). */
function registry(): Map<string, Held> {
  const key = Symbol.for('ohr.folder-lock.registry');
  const store = globalThis as unknown as Record<symbol, Map<string, Held> | undefined>;
  let held = store[key];
  if (!held) {
    held = new Map();
    store[key] = held;
    const map = held;
    // A normal exit leaves no lock. 'exit' handlers must be synchronous.
    process.on('exit', () => {
      for (const entry of map.values()) {
        try {
          unlinkSync(entry.file);
        } catch {
          // already gone
        }
        try {
          rmdirSync(entry.lockDir);
        } catch {
          // not empty (someone else's turn) or already gone
        }
      }
      map.clear();
    });
  }
  return held;
}

/** mkdir the lock directory and put our holder file in it; null if someone else is there (or got there at once). */
async function tryTake(root: string, lockDir: string, content: string): Promise<string | null> {
  try {
    await mkdir(lockDir);
  } catch (error) {
    if (code(error) === 'EEXIST') return null;
    throw error;
  }
  const name = `${process.pid}-${randomBytes(8).toString('hex')}.json`;
  const file = join(lockDir, name);
  try {
    const handle = await open(file, 'wx');
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    // The directory was removed as stale under us (we were stalled for longer than the grace): start again.
    if (code(error) === 'ENOENT') return null;
    throw error;
  }
  await syncDirectory(lockDir);
  await syncDirectory(root);
  // Only a holder that is alone in the directory holds it. Anyone who arrives later sees our file and backs off.
  const entries = await readdir(lockDir);
  if (entries.length === 1 && entries[0] === name) return file;
  await ignoring(['ENOENT'], unlink(file));
  return null;
}

type Examined = { kind: 'held'; holder: LockHolder; reason: FolderInUseReason } | { kind: 'wait' } | { kind: 'retry' };

/** Looks at a lock directory someone else made: who holds it, or remove what is stale. */
async function examine(lockDir: string, grace: number): Promise<Examined> {
  let entries: string[];
  try {
    entries = await readdir(lockDir);
  } catch (error) {
    if (code(error) === 'ENOENT') return { kind: 'retry' };
    if (code(error) === 'ENOTDIR') {
      throw new Error(`${lockDir} should be the data folder's lock directory but is a file; remove it and try again.`);
    }
    throw error;
  }
  if (entries.length === 0) {
    // Made but not yet filled (its maker is between mkdir and open), or its maker was killed right there.
    const made = await statOrNull(lockDir);
    if (!made) return { kind: 'retry' };
    if (Date.now() - made.mtimeMs < grace) return { kind: 'wait' };
    await ignoring(['ENOENT', 'ENOTEMPTY', 'EEXIST'], rmdir(lockDir));
    return { kind: 'retry' };
  }
  let waiting = false;
  for (const entry of entries) {
    const file = join(lockDir, entry);
    const info = await statOrNull(file);
    if (!info) return { kind: 'retry' };
    if (!info.isFile()) throw new Error(`${file} is not a lock holder file; remove it and try again.`);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if (code(error) === 'ENOENT') return { kind: 'retry' };
      throw error;
    }
    const holder = parseHolder(text);
    if (!holder) {
      // Half-written: its writer is between open and write, or was killed there.
      if (Date.now() - info.mtimeMs < grace) waiting = true;
      else await ignoring(['ENOENT'], unlink(file));
      continue;
    }
    const verdict = judge(holder);
    if (verdict === 'stale') {
      // The name is used once, so this deletes the very file examined and never a newer holder's.
      await ignoring(['ENOENT'], unlink(file));
      continue;
    }
    return { kind: 'held', holder, reason: verdict };
  }
  if (waiting) return { kind: 'wait' };
  // Fails while a newer holder's file is inside; then the next look sees it.
  await ignoring(['ENOENT', 'ENOTEMPTY', 'EEXIST'], rmdir(lockDir));
  return { kind: 'retry' };
}

/** Whether a holder still holds the folder, as far as this host can tell. */
function judge(holder: LockHolder): FolderInUseReason | 'stale' {
  if (holder.hostname !== hostname()) return 'other-host';
  const boot = bootId();
  // Taken before this machine last started: that process is gone, whatever now has its pid.
  if (holder.bootId && boot && holder.bootId !== boot) return 'stale';
  if (holder.pid === process.pid) {
    // Not in this process's registry (checked first), so a file naming our pid is from an earlier process with the
    // same pid (a container's pid 1 after a restart) unless it names our very start time.
    const mine = procStat(process.pid);
    if (mine && holder.startTicks !== null) return holder.startTicks === mine.startTicks ? 'this-process' : 'stale';
    // No /proc: compare the recorded start time with ours, allowing for rounding.
    const recorded = Date.parse(holder.startedAt);
    const ours = Date.now() - process.uptime() * 1000;
    return Number.isFinite(recorded) && Math.abs(recorded - ours) > 2_000 ? 'stale' : 'this-process';
  }
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if (code(error) === 'ESRCH') return 'stale';
    // EPERM: alive, another user's. Anything else: cannot tell, so it holds.
  }
  const now = procStat(holder.pid);
  // No /proc, or it hides other users' processes: the pid is alive, which is all we can know.
  if (!now) return 'running';
  if (now.state === 'Z' || now.state === 'X') return 'stale';
  if (holder.startTicks !== null && now.startTicks !== holder.startTicks) return 'stale';
  return 'running';
}

function parseHolder(text: string): LockHolder | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const field = (key: string) => (typeof v[key] === 'string' ? (v[key] as string) : null);
  const pid = v.pid;
  // process.kill(0 or negative) would signal a process group: only a real pid is a holder.
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0) return null;
  const host = field('hostname');
  if (host === null) return null;
  return {
    pid,
    hostname: host,
    startedAt: field('startedAt') ?? 'an unknown time',
    purpose: field('purpose') ?? 'an unnamed program',
    createdAt: field('createdAt') ?? 'an unknown time',
    startTicks: field('startTicks'),
    bootId: field('bootId'),
  };
}

function self(purpose: string): LockHolder {
  return {
    pid: process.pid,
    hostname: hostname(),
    startedAt: new Date(Date.now() - process.uptime() * 1000).toISOString(),
    purpose,
    createdAt: new Date().toISOString(),
    startTicks: procStat(process.pid)?.startTicks ?? null,
    bootId: bootId(),
  };
}

/** State (field 3) and start time in ticks since boot (field 22) of /proc/<pid>/stat, or null if unreadable. */
export function procStat(pid: number): { state: string; startTicks: string } | null {
  let line: string;
  try {
    line = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // Field 2 is the command in parentheses and may itself hold spaces and parentheses: count from the last ')'.
  const fields = line.slice(line.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const startTicks = fields[19];
  return state && startTicks && /^\d+$/.test(startTicks) ? { state, startTicks } : null;
}

function bootId(): string | null {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
  } catch {
    return null;
  }
}

function describe(folder: string, lockPath: string, holder: LockHolder, reason: FolderInUseReason): string {
  const who = `pid ${holder.pid} (${holder.purpose})`;
  const since = `since ${when(holder.createdAt)}`;
  const started = holder.startedAt === holder.createdAt ? '' : `, a process started ${when(holder.startedAt)}`;
  switch (reason) {
    case 'this-process':
      return (
        `The data folder ${folder} is already open in this process, ${who}, ${since}. ` +
        'Close it before opening it again: two openers of one data folder corrupt it.'
      );
    case 'other-host':
      return [
        `The data folder ${folder} is locked by ${who} on another computer, "${holder.hostname}", ${since}.`,
        `This computer ("${hostname()}") cannot see whether that process is still running, so it will not take the ` +
          'folder over: two processes on one data folder corrupt it.',
        `Stop that process on "${holder.hostname}" first; it removes the lock when it stops. If "${holder.hostname}" ` +
          `crashed or no longer uses this folder, delete ${lockPath} by hand and try again.`,
      ].join('\n');
    case 'running':
      return [
        `The data folder ${folder} is in use by another process: ${who}${started}, holding it ${since}.`,
        'Only one process may open a data folder at a time: a second one corrupts the data.',
        `Stop that process first (Ctrl+C in its terminal, or \`kill ${holder.pid}\`) and try again; or, to change ` +
          'something while it runs (accounts, for example), do it through that running process, not by opening its ' +
          'folder a second time.',
      ].join('\n');
  }
}

/** An ISO time in plain words: 2025-06-01 10:00:00 UTC. */
function when(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

async function syncDirectory(path: string): Promise<void> {
  // A directory's fsync makes a new name in it survive power loss. Not every platform allows it (Windows): best effort.
  try {
    const handle = await open(path, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort
  }
}

async function statOrNull(path: string) {
  try {
    return await stat(path);
  } catch (error) {
    if (code(error) === 'ENOENT') return null;
    throw error;
  }
}

async function ignoring(codes: readonly string[], work: Promise<unknown>): Promise<void> {
  try {
    await work;
  } catch (error) {
    if (!codes.includes(code(error) ?? '')) throw error;
  }
}

function code(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
