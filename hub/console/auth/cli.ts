/**
 * `npm run hub -- create-moderator <email> [--admin] [--data DIR]`: the first account of a new hub (later ones can be
 * added on the admin page). The password comes from `OHR_MODERATOR_PASSWORD`, else from a hidden prompt on a
 * terminal, else from the first line of standard input, so it never appears in the shell's history or `ps`.
 * The database is chosen as the server chooses it: `DATABASE_URL`, else `--data` / `OHR_DATA_DIR` / `./data`.
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { ct } from '../../../lib/i18n/console';
import { fieldErrors } from '../../../lib/schema';
import { openDatabase, type Database } from '../../db';
import { FolderInUseError } from '../../storage/folder-lock';
import { createModerator, NewModerator } from './accounts';

export const CREATE_MODERATOR_USAGE = `Usage: npm run hub -- create-moderator <email> [--admin] [--data DIR]

  Creates a console account (role moderator, or admin with --admin). The password is read from
  OHR_MODERATOR_PASSWORD, or asked for (hidden) on a terminal, or read from the first line of standard input.
  DATABASE_URL=postgres://… uses PostgreSQL, as the server does; otherwise PGlite in --data DIR (env OHR_DATA_DIR,
  default ./data). Stop a PGlite hub first: only one process can open its directory.

  For scripting. The first admin is easier made in the browser: a hub with no account prints a one-time
  /console/setup link when it starts. Later accounts are added on the console's Admin page.`;

export interface CommandIo {
  log(line: string): void;
  error(line: string): void;
}

export interface CommandOptions {
  /** Where the password comes from when OHR_MODERATOR_PASSWORD is not set. */
  readPassword?: () => Promise<string>;
  /** An already open database (tests, or a caller that holds the hub's); otherwise opened as the server would. */
  db?: Database;
}

/** Runs the command; resolves to the exit code (0 created, 1 already exists, 2 bad input, 3 the data folder is in use). */
export async function createModeratorCommand(argv: readonly string[], env: Record<string, string | undefined>, io: CommandIo, options: CommandOptions = {}): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: { admin: { type: 'boolean' }, data: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (error) {
    io.error(`${error instanceof Error ? error.message : String(error)}\n\n${CREATE_MODERATOR_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.log(CREATE_MODERATOR_USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    io.error(CREATE_MODERATOR_USAGE);
    return 2;
  }
  // The database first: a folder in use by a running hub is refused before anyone types a password.
  let db: Database;
  try {
    db =
      options.db ??
      (await openDatabase(
        env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir: values.data || env.OHR_DATA_DIR || './data', purpose: 'create-moderator' },
      ));
  } catch (error) {
    if (!(error instanceof FolderInUseError)) throw error;
    io.error(`${error.message}\n${ct('cli.folderInUse')}`);
    return 3;
  }
  try {
    const password = env.OHR_MODERATOR_PASSWORD ?? (await (options.readPassword ?? readPassword)());
    const input = NewModerator.safeParse({ email: positionals[0], password, role: values.admin ? 'admin' : 'moderator' });
    if (!input.success) {
      for (const problem of fieldErrors(input.error)) io.error(`${problem.path}: ${problem.message}`);
      return 2;
    }
    const outcome = await createModerator(db, input.data, null);
    if (outcome.kind === 'exists') {
      io.error(ct('cli.exists', { email: input.data.email }));
      return 1;
    }
    io.log(ct('cli.created', { email: outcome.moderator.email, role: ct(`role.${outcome.moderator.role}`) }));
    return 0;
  } finally {
    if (!options.db) await db.close();
  }
}

/** A hidden prompt on a terminal; otherwise the first line of standard input (a pipe or a file). */
function readPassword(): Promise<string> {
  const hidden = process.stdin.isTTY;
  const output = hidden
    ? new Writable({ write: (_chunk, _encoding, done) => done() })
    : process.stderr;
  if (hidden) process.stderr.write(ct('cli.passwordPrompt'));
  const lines = createInterface({ input: process.stdin, output, terminal: hidden });
  return new Promise((resolve) => {
    let answered = false;
    lines.once('line', (line) => {
      answered = true;
      if (hidden) process.stderr.write('\n');
      lines.close();
      resolve(line);
    });
    lines.once('close', () => {
      if (!answered) resolve('');
    });
  });
}
