import { defineConfig } from 'vitest/config';

/** `npm run test:firefox`: the extension in real Firefox (test/firefox/), apart from the unit tests' run. */
export default defineConfig({
  test: {
    include: ['test/firefox/**/*.test.ts'],
    environment: 'node',
    // The test itself (two reports): 23–33 s measured with the machine at load 18–22.
    testTimeout: 120_000,
    // The build and a fresh hub (initdb) before the test: 30 s on a quiet machine, over 60 s on a loaded one.
    hookTimeout: 180_000,
  },
});
