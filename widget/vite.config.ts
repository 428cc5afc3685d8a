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

export default defineConfig({
  root,
  logLevel: 'warn',
  plugins: [
    preact({ devToolsEnabled: false, prefreshEnabled: false }),
    // Classic `h(type, props, ...children)` calls: shorter than the automatic runtime's `children:` props (~0.4 KB gzipped).
    { name: 'ohr-classic-jsx', config: () => ({ oxc: { jsx: { runtime: 'classic', pragma: 'h', pragmaFrag: 'Fragment' }, jsxInject: "import { h, Fragment } from 'preact'" } }) },
  ],
  resolve: { alias: { '@': root } },
  define: { 'process.env.NODE_ENV': '"production"' },
  build: {
    outDir: `${root}dist/widget`,
    emptyOutDir: true,
    target: 'es2022',
    // terser squeezes ~0.35 KB gzipped more than the default minifier out of this bundle.
    minify: 'terser',
    terserOptions: { toplevel: true, compress: { passes: 3, unsafe_arrows: true, pure_getters: true }, format: { comments: false } },
    reportCompressedSize: false,
    lib: { entry: `${root}widget/index.ts`, formats: ['iife'], name: 'ohrWidget', fileName: () => 'widget.js' },
    rolldownOptions: { treeshake: { moduleSideEffects: (id: string) => !ZOD_MODULES.test(id) } },
  },
});
