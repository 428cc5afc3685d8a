/**
 * `npm run build:widget`: the embeddable widget as one minified script, `dist/widget/widget.js`, with Preact inside.
 * An IIFE, so nothing but the custom elements reaches the host page's globals.
 */
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';
import { fileURLToPath } from 'node:url';
import { widgetEn } from './words-en';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Modules that build zod schemas at their top level. The widget imports only zod-free names re-exported through them
 * (SCHEMA_VERSION via `lib/schema`), so they are declared free of side effects and their schemas are dropped.
 */
const ZOD_MODULES = /\/lib\/schema\/(index|report|protocol)\.ts$/;

/**
 * The words are inlined where they are used: `t('what.title')` becomes the text itself and `t('what.remaining', {…})`
 * becomes `format('{count} characters left', {…})`, so a static message costs its words and nothing else. Only keys
 * built at run time (`harm.${value}`) are looked up in the catalogue.
 */
function inlineWords(code: string, id: string): string | undefined {
  if (!/\/widget\/(?!words-en|i18n)[^/]+\.tsx?$/.test(id)) return undefined;
  let formats = false;
  const inlined = code.replace(/\bt\('([\w.]+)'(\)|, )/g, (_call, key: string, after: string) => {
    const words = (widgetEn as Record<string, string>)[key];
    if (words === undefined) throw new Error(`${id}: no words for ${key}`);
    if (after === ')') return JSON.stringify(words);
    formats = true;
    return `format(${JSON.stringify(words)}, `;
  });
  return formats ? `import { format } from '@/lib/i18n/format';\n${inlined}` : inlined;
}

/**
 * Then the catalogue in the script keeps only the keys that are still named somewhere: those of a family whose keys
 * are built at run time (`\`harm.${`, or a `"harm."` prefix handed to `options`). A key whose family is never built and
 * whose name appears nowhere but in the catalogue is dropped, with its words.
 */
function pruneCatalogue(code: string): string {
  return code.replace(/"([a-z]+(?:\.[A-Za-z_]+)+)":"(?:[^"\\]|\\.)*",?/g, (entry, key: string) => {
    const family = key.slice(0, key.lastIndexOf('.') + 1);
    const built = code.includes(`\`${family}\${`) || code.includes(`"${family}"`);
    return built || !(key in widgetEn) || code.split(`"${key}"`).length > 2 ? entry : '';
  });
}

export default defineConfig({
  root,
  logLevel: 'warn',
  plugins: [
    preact({ devToolsEnabled: false, prefreshEnabled: false }),
    // Classic `h(type, props, ...children)` calls: shorter than the automatic runtime's `children:` props (~0.4 KB gzipped).
    { name: 'ohr-classic-jsx', config: () => ({ oxc: { jsx: { runtime: 'classic', pragma: 'h', pragmaFrag: 'Fragment' }, jsxInject: "import { h, Fragment } from 'preact'" } }) },
    { name: 'ohr-inline-words', enforce: 'pre', transform: (code, id) => inlineWords(code, id) },
    {
      name: 'ohr-prune-catalogue',
      generateBundle(_options, bundle) {
        for (const chunk of Object.values(bundle)) if (chunk.type === 'chunk') chunk.code = pruneCatalogue(chunk.code);
      },
    },
  ],
  resolve: { alias: { '@': root } },
  define: { 'process.env.NODE_ENV': '"production"' },
  build: {
    outDir: `${root}dist/widget`,
    emptyOutDir: true,
    target: 'es2022',
    // terser squeezes ~0.35 KB gzipped more than the default minifier out of this bundle.
    minify: 'terser',
    terserOptions: { toplevel: true, compress: { passes: 3, unsafe_arrows: true, pure_getters: true }, format: { comments: false },
      // Preact's internal `__x` properties, renamed consistently: the bundle holds the only copy of Preact (no devtools, no hooks).
      mangle: { properties: { regex: /^__/ } } },
    reportCompressedSize: false,
    lib: { entry: `${root}widget/index.ts`, formats: ['iife'], name: 'ohrWidget', fileName: () => 'widget.js' },
    rolldownOptions: { treeshake: { moduleSideEffects: (id: string) => !ZOD_MODULES.test(id) } },
  },
});
