/**
 * `npm run build:widget`: the embeddable widget as one minified script, `dist/widget/widget.js`, with Preact inside.
 * An IIFE, so nothing but the custom elements reaches the host page's globals.
 */
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Modules that build zod schemas at their top level. The widget imports only zod-free names re-exported through them
 * (SCHEMA_VERSION via `lib/schema`), so they are declared free of side effects and their schemas are dropped.
 */
const ZOD_MODULES = /\/lib\/schema\/(index|report|protocol)\.ts$/;

/** First segments of the report's dotted paths: a message key starting with one may also be a field's id. */
const PATH_ROOTS = ['urgency', 'reporter', 'incident', 'grounds', 'items'];

/**
 * Message keys such as "widget.done.tokenHint" appear twice in the script (the catalogue and the `t()` call) and
 * gzip poorly; each becomes a base-36 id instead (~0.35 KB gzipped; ids hold no dot, so none equals a key that is
 * kept). A key is left alone when any text around it is built at run time (`harm.${value}`), when it appears other than as a whole string, or when it
 * could be a report path (which doubles as an input's id and the hub's error `path`).
 */
function shortMessageKeys(code: string): string {
  const keys = new Set([...code.matchAll(/"([a-z]+(?:\.[A-Za-z_]+)+)":"/g)].map((match) => match[1]!));
  let next = 0;
  for (const key of [...keys].sort((a, b) => b.length - a.length)) {
    const family = key.slice(0, key.lastIndexOf('.') + 1);
    const built = code.includes(`\`${family}\${`) || code.includes(`"${family}"`);
    const whole = code.split(key).length === code.split(`"${key}"`).length;
    if (built || !whole || PATH_ROOTS.includes(key.split('.')[0]!)) continue;
    code = code.split(`"${key}"`).join(`"${(next++).toString(36)}"`);
  }
  return code;
}

export default defineConfig({
  root,
  logLevel: 'warn',
  plugins: [
    preact({ devToolsEnabled: false, prefreshEnabled: false }),
    // Classic `h(type, props, ...children)` calls: shorter than the automatic runtime's `children:` props (~0.4 KB gzipped).
    { name: 'ohr-classic-jsx', config: () => ({ oxc: { jsx: { runtime: 'classic', pragma: 'h', pragmaFrag: 'Fragment' }, jsxInject: "import { h, Fragment } from 'preact'" } }) },
    {
      name: 'ohr-short-message-keys',
      generateBundle(_options, bundle) {
        for (const chunk of Object.values(bundle)) if (chunk.type === 'chunk') chunk.code = shortMessageKeys(chunk.code);
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
