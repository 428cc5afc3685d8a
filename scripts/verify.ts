/**
 * `npm run verify -- <report.json> [evidence files or directories…]`, or `npm run verify -- <evidence-pack.zip or
 * police case file.zip> [--tsa-ca root.pem …]`
 * Checks every artefact's SHA-256 (and size) against the report and each capture manifest's signature with the
 * report's public key; in a ZIP also each hub's signed receipt and each RFC 3161 timestamp token (with `--tsa-ca`,
 * that the authority's certificate chains to one of those roots), and a case file's SHA256SUMS. Prints a verdict per
 * item and exits 1 on any failure (2 on bad usage). Without evidence paths it looks in the report's own directory.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { unzipPack } from '../lib/evidence-pack/read';
import { verifyZip } from '../lib/evidence-pack/verify-zip';
import { parseCertificate } from '../lib/integrity/timestamp';
import { t } from '../lib/i18n';
import { formatVerdict, verifyReport, type EvidenceSource } from '../lib/integrity/verify';

async function* walk(path: string): AsyncGenerator<string> {
  const info = await stat(path);
  if (!info.isDirectory()) {
    yield path;
    return;
  }
  for (const entry of (await readdir(path)).sort()) yield* walk(join(path, entry));
}

/** Loose files and directories (recursively) on disk. */
function fileSource(paths: string[], skip: string): EvidenceSource {
  return {
    async *files() {
      for (const path of paths) {
        for await (const file of walk(path)) {
          if (resolve(file) === skip) continue;
          yield { name: file, bytes: new Uint8Array(await readFile(file)) };
        }
      }
    },
  };
}

/** `--tsa-ca <file>` options (any number) out of the arguments. */
function takeRoots(argv: string[]): { rest: string[]; roots: string[] } {
  const rest: string[] = [];
  const roots: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    if (argv[index] === '--tsa-ca' && argv[index + 1]) roots.push(argv[++index]!);
    else rest.push(argv[index]!);
  }
  return { rest, roots };
}

async function main(args: string[]): Promise<number> {
  const { rest: argv, roots } = takeRoots(args);
  const [reportPath, ...evidencePaths] = argv;
  if (!reportPath) {
    console.error('usage: npm run verify -- <report.json> [evidence files or directories…]');
    return 2;
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(reportPath);
  } catch (error) {
    console.error(`cannot read ${reportPath}: ${(error as Error).message}`);
    return 2;
  }
  if (isZip(bytes)) return verifyZipFile(bytes, roots);
  const input = fromJson(bytes, evidencePaths.length ? evidencePaths : [dirname(reportPath)], resolve(reportPath));
  if ('error' in input) {
    console.error(`cannot read ${reportPath}: ${input.error}`);
    return 2;
  }
  const verdict = await verifyReport(input.json, input.source);
  console.log(formatVerdict(verdict));
  return verdict.ok ? 0 : 1;
}

/** ZIP files start with the local file header signature "PK\x03\x04". */
function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

type Input = { json: unknown; source: EvidenceSource } | { error: string };

async function verifyZipFile(bytes: Uint8Array, rootFiles: string[]): Promise<number> {
  const opened = unzipPack(bytes);
  if (!opened.ok) {
    console.error(`cannot read the ZIP: ${t(opened.refusal.key, opened.refusal.values)}`);
    return 2;
  }
  let roots;
  try {
    roots = rootFiles.length ? await Promise.all(rootFiles.map(async (file) => parseCertificate(new Uint8Array(await readFile(file))))) : undefined;
  } catch (error) {
    console.error(`cannot read a --tsa-ca certificate: ${(error as Error).message}`);
    return 2;
  }
  const verdict = await verifyZip(opened.files, roots);
  console.log(verdict.text);
  return verdict.ok ? 0 : 1;
}

function fromJson(bytes: Buffer, paths: string[], skip: string): Input {
  try {
    return { json: JSON.parse(bytes.toString('utf8')), source: fileSource(paths, skip) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

process.exitCode = await main(process.argv.slice(2));
