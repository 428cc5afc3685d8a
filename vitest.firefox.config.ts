import { defineConfig } from 'vitest/config';

/** `npm run test:firefox`: the extension in real Firefox (test/firefox/), apart from the unit tests' run. */
export default defineConfig({
  test: {
    include: ['test/firefox/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
