import { defineConfig } from '@playwright/test';

/** End-to-end tests: the real built extension in real Chromium, talking to a real hub over HTTP. */
export default defineConfig({
  testDir: 'test/e2e',
  globalSetup: './test/e2e/global-setup.ts',
  // One Chromium at a time: each test starts its own browser, hub and database, and the machine has 2 cores.
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: { trace: 'retain-on-failure' },
});
