/**
 * A process that takes a data folder's lock when told, for folder-lock.test.ts: real processes, not mocks.
 * Run: node --import tsx folder-lock-child.ts <folder> [halfWrittenGraceMs]
 * Reads commands from stdin, one a line, and answers each with one JSON line on stdout:
 *   lock <purpose…>  → {event:'locked', path, ms} | {event:'refused', name, reason, message, holder, ms} | {event:'failed', message}
 *   release          → {event:'released'}
 *   exit             → stops reading stdin so the process ends normally, still holding whatever it holds
 * It says {event:'ready', pid} once it has loaded, so a test can start several and release them at the same moment.
 */
import { createInterface } from 'node:readline';
import { FolderInUseError, lockDataFolder, type FolderLock } from '../../../hub/storage/folder-lock';

const [folder, grace] = process.argv.slice(2);
if (!folder) throw new Error('usage: folder-lock-child.ts <folder> [halfWrittenGraceMs]');
const options = grace ? { halfWrittenGraceMs: Number(grace) } : {};
const say = (value: object) => process.stdout.write(`${JSON.stringify(value)}\n`);

let lock: FolderLock | undefined;
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const [command, ...rest] = line.trim().split(' ');
  if (command === 'lock') {
    const started = performance.now();
    lockDataFolder(folder, rest.join(' '), options).then(
      (taken) => {
        lock = taken;
        say({ event: 'locked', path: taken.path, ms: performance.now() - started });
      },
      (error: unknown) => {
        if (error instanceof FolderInUseError) {
          say({ event: 'refused', name: error.name, reason: error.reason, message: error.message, holder: error.holder, ms: performance.now() - started });
        } else {
          say({ event: 'failed', message: String(error) });
        }
      },
    );
  } else if (command === 'release') {
    void lock?.release().then(() => say({ event: 'released' }));
    lock = undefined;
  } else if (command === 'exit') {
    lines.close();
    process.stdin.destroy();
  }
});
say({ event: 'ready', pid: process.pid });
