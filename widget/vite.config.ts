/**
 * `npm run build:widget`: the embeddable widget as one minified script, `dist/widget/widget.js`, with Preact inside.
 * An IIFE, so nothing but the custom elements reaches the host page's globals.
 */
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Modules that build zod schemas at their top level. The widget imports only zod-free names re-exported through them
 * (SCHEMA_VERSION via `lib/schema`), so they are declared free of side effects and their schemas are dropped.
 */
const ZOD_MODULES = /\/lib\/schema\/(index|report|protocol)\.ts$/;

/**
 * The words are inlined where they are used: `t('what.title')` becomes the text itself and `t('what.remaining', {…})`
 * becomes `format('{count} characters left', {…})`, so a message costs its words and nothing else, and the catalogue
 * (`words-en.ts`, which the source and the unit tests still read through `t`) is left out of the script. A key built at
 * run time (`t(\`harm.${value}\`)`) would bring the whole catalogue back: the words for a closed list's values are
 * spelled out in `labels.ts` instead.
 */
function inlineWords(code: string, id: string, catalogue: Record<string, string>): { code: string; map: null } | undefined {
  if (!/\/widget\/(?!words-|i18n|language|packs)[^/]+\.tsx?$/.test(id)) return undefined;
  let formats = false;
  const inlined = code.replace(/\bt\('([\w.]+)'(\)|, )/g, (_call, key: string, after: string) => {
    const words = catalogue[key];
    if (words === undefined) throw new Error(`${id}: no words for ${key}`);
    if (after === ')') return JSON.stringify(words);
    formats = true;
    return `format(${JSON.stringify(words)}, `;
  });
  // Every line stays where it was (the import joins the first), so source maps keep their lines (`map: null`).
  // The widget's `format` translates the template when a language pack is loaded (`language.ts`).
  return { code: formats ? `import { format } from '@/widget/language';${inlined}` : inlined, map: null };
}

/**
 * The widget's own property names (component props and state, step fields, the shared backoff's), renamed like
 * Preact's `__x` ones. Only names that are nowhere a DOM property the widget sets, a field of the report or the
 * protocol, a key of what the outbox stores, or a `{placeholder}` of the words (checked below), so renaming them
 * changes nothing outside. (terser never renames a name it knows from the DOM, such as `title` or `options`, so those
 * are not listed.)
 */
const OWN_PROPERTIES = ['optional', 'legend', 'long', 'many', 'paths', 'Body', 'applies', 'stepId', 'goTo', 'setItems',
  'discovery', 'errors', 'steps', 'onSend', 'onAgain', 'said', 'refused', 'follow', 'copy', 'retryAfterMs', 'baseDelayMs', 'maxDelayMs', 'escaped', 'escape', 'leave', 'load', 'check', 'facts', 'support', 'exit', 'cannotKeep', 'view', 'hint', 'committed', 'unsealed'];

/** The catalogue, read when the build starts (the config cannot import TypeScript that imports more TypeScript). */
let catalogue: Record<string, string> = {};
async function readCatalogue(): Promise<void> {
  ({ widgetEn: catalogue } = (await tsImport(`${root}widget/words-en.ts`, import.meta.url)) as { widgetEn: Record<string, string> });
  const placeholders = new Set(Object.values(catalogue).flatMap((words) => [...words.matchAll(/\{(\w+)\}/g)].map((match) => match[1])));
  if (OWN_PROPERTIES.some((name) => placeholders.has(name))) throw new Error('A renamed property is also a placeholder of the words');
}

/**
 * The language packs (`packs.ts`): made when the build starts, written beside the script as `lang/<tag>.json`, and
 * named in the script (`OHR_PACKS` in `language.ts`: each language with the version its address carries).
 */
let packs: Record<string, { json: string; version: string }> = {};
async function readPacks(): Promise<void> {
  const { LANGUAGES, packFile } = (await tsImport(`${root}widget/packs.ts`, import.meta.url)) as typeof import('./packs');
  packs = Object.fromEntries(Object.keys(LANGUAGES).map((tag) => [tag, packFile(tag)]));
}
const packVersions = () => JSON.stringify(Object.fromEntries(Object.entries(packs).map(([tag, { version }]) => [tag, version])));

/** Preact's core without what the widget never uses (`trim-preact.ts`), read when the build starts like the catalogue. */
let trimPreact: (code: string) => string;
async function readTrim(): Promise<void> {
  ({ trimPreact } = (await tsImport(`${root}widget/trim-preact.ts`, import.meta.url)) as { trimPreact: typeof trimPreact });
}

/**
 * A module the widget loads from the hub only when it is needed, bundled and minified as an ES module by a build of
 * its own: `widget/fingerprint-field.ts` (the field and lib/pdq) as `pdq.js`, `widget/seal-entry.ts` (HPKE) as `seal.js`.
 */
async function lazyModule(source: string): Promise<string> {
  const { build } = await import('vite');
  const result = (await build({
    configFile: false,
    logLevel: 'warn',
    resolve: { alias: { '@': root } },
    build: { write: false, target: 'es2022', minify: 'terser', lib: { entry: `${root}widget/${source}`, formats: ['es'], fileName: () => 'module.js' },
      // As for the script: the schemas a module does not use are dropped (seal.js keeps only those it checks with).
      // One file: @hpke's fallback for old Node (`import('crypto')`, never reached in a browser) stays a bare import.
      rolldownOptions: { external: ['crypto'], output: { codeSplitting: false }, treeshake: { moduleSideEffects: (id: string) => !ZOD_MODULES.test(id) } } },
  })) as { output: Array<{ type: string; code?: string }> } | Array<{ output: Array<{ type: string; code?: string }> }>;
  const chunks = (Array.isArray(result) ? result[0]! : result).output.filter((file) => file.type === 'chunk');
  // The widget fetches one file: a second chunk would be a module it cannot load.
  const code = chunks.length === 1 ? chunks[0]!.code : undefined;
  if (!code) throw new Error(`widget/${source} did not build as one module`);
  return code;
}

export default defineConfig({
  root,
  logLevel: 'warn',
  plugins: [
    preact({ devToolsEnabled: false, prefreshEnabled: false }),
    // Classic `h(type, props, ...children)` calls: shorter than the automatic runtime's `children:` props (~0.4 KB gzipped).
    // The `h` of `language.ts`: Preact's, translating text children when a language pack is loaded.
    { name: 'ohr-classic-jsx', config: () => ({ oxc: { jsx: { runtime: 'classic', pragma: 'h', pragmaFrag: 'Fragment' }, jsxInject: "import { h, Fragment } from '@/widget/language'" } }) },
    { name: 'ohr-inline-words', enforce: 'pre', buildStart: readCatalogue, transform: (code, id) => inlineWords(code, id, catalogue) },
    {
      name: 'ohr-language-packs',
      buildStart: readPacks,
      transform: (code, id) => (/\/widget\/language\.ts$/.test(id) ? { code: code.replace(/\bOHR_PACKS\b(?!:)/g, `(${packVersions()})`), map: null } : undefined),
      generateBundle() {
        for (const [tag, { json }] of Object.entries(packs)) this.emitFile({ type: 'asset', fileName: `lang/${tag}.json`, source: json });
      },
    },
    { name: 'ohr-trim-preact', buildStart: readTrim, transform: (code, id) => (/\/preact\/dist\/preact\.mjs$/.test(id) ? { code: trimPreact(code), map: null } : undefined) },
    // PDQ fingerprinting (lib/pdq/fingerprint.ts) as an ES module of its own beside the script, `pdq.js`: the widget
    // loads it from the hub only when a picture of intimate-image abuse is sent as its fingerprint (Fingerprints.tsx),
    // so its 1.3 KB gzipped stay out of the widget's budget.
    { name: 'ohr-pdq-module', async generateBundle() { this.emitFile({ type: 'asset', fileName: 'pdq.js', source: await lazyModule('fingerprint-field.ts') }); } },
    // Sealing the reporter's personal data to the organisation (HPKE, widget/seal-entry.ts), `seal.js`: loaded only for
    // a report with personal details to a hub that publishes an encryption key (sealing.ts).
    { name: 'ohr-seal-module', async generateBundle() { this.emitFile({ type: 'asset', fileName: 'seal.js', source: await lazyModule('seal-entry.ts') }); } },
    // Stripping a chosen picture's metadata (metadata.ts), `strip.js`: loaded when a picture is first chosen (Items.tsx).
    { name: 'ohr-strip-module', async generateBundle() { this.emitFile({ type: 'asset', fileName: 'strip.js', source: await lazyModule('metadata.ts') }); } },
  ],
  resolve: { alias: { '@': root } },
  define: { 'process.env.NODE_ENV': '"production"' },
  build: {
    outDir: `${root}dist/widget`,
    emptyOutDir: true,
    target: 'es2022',
    // terser squeezes ~0.35 KB gzipped more than the default minifier out of this bundle. Told that the code is a
    // module of ES2020 (strict, as every class body is anyway), and not to wrap function arguments: 19 bytes more.
    minify: 'terser',
    terserOptions: { toplevel: true, compress: { ecma: 2020, module: true, passes: 3, unsafe_arrows: true, pure_getters: true }, format: { comments: false, ecma: 2020, wrap_func_args: false },
      // Preact's internal `__x` properties, renamed consistently: the bundle holds the only copy of Preact (no devtools, no hooks).
      mangle: { properties: { regex: new RegExp(`^(__.*|${OWN_PROPERTIES.join('|')})$`) } } },
    reportCompressedSize: false,
    lib: { entry: `${root}widget/index.ts`, formats: ['iife'], name: 'ohrWidget', fileName: () => 'widget.js' },
    rolldownOptions: { treeshake: { moduleSideEffects: (id: string) => !ZOD_MODULES.test(id) } },
  },
});
