import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

/**
 * OHR_E2E_ORIGIN is set only by the end-to-end tests: Playwright cannot click browser UI, so the
 * `activeTab` grant a real toolbar click gives is replaced by a host permission for the test server.
 * The shipped manifest asks for no site access at install.
 */
const e2eOrigin = process.env.OHR_E2E_ORIGIN;

export default defineConfig({
  outDir: '.output',
  manifest: {
    name: 'Online Harms Reporter',
    description: 'Keep the evidence of online hate and report it to someone who will act.',
    permissions: ['activeTab', 'storage', 'unlimitedStorage'],
    host_permissions: e2eOrigin ? [`${e2eOrigin}/*`] : [],
    action: { default_title: 'Report online hate' },
  },
  vite: () => ({ plugins: [preact()] }),
});
