/**
 * `npm run verify -- <report.json> [evidence files or directories…]`
 * Checks every artefact's SHA-256 (and size) against the report and each capture manifest's signature with the
 * report's public key; prints a verdict per item and exits 1 on any failure (2 on bad usage). Without evidence
 * paths it looks in the report's own directory. Evidence-pack ZIPs can be added as another `EvidenceSource`.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
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

async function main(argv: string[]): Promise<number> {
  const [reportPath, ...evidencePaths] = argv;
  if (!reportPath) {
    console.error('usage: npm run verify -- <report.json> [evidence files or directories…]');
    return 2;
  }
  let json: unknown;
  try {
    json = JSON.parse(await readFile(reportPath, 'utf8'));
  } catch (error) {
    console.error(`cannot read ${reportPath}: ${(error as Error).message}`);
    return 2;
  }
  const paths = evidencePaths.length ? evidencePaths : [dirname(reportPath)];
  const verdict = await verifyReport(json, fileSource(paths, resolve(reportPath)));
  console.log(formatVerdict(verdict));
  return verdict.ok ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
