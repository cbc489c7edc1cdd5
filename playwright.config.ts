/**
 * End-to-end tests against the production build (`vite preview`), driving Debian's Chromium.
 * Deterministic: fixed viewport, device scale 1, one or two workers, retries only in CI.
 */
import { defineConfig } from '@playwright/test';

// E2E_PORT: several checkouts on one machine each need their own server (reuseExistingServer would reuse another's).
const PORT = Number(process.env.E2E_PORT ?? 4173);
const CI = !!process.env.CI;

export default defineConfig({
  testDir: 'e2e',
  testMatch: '*.spec.ts',
  fullyParallel: false,
  workers: CI ? 1 : 2,
  retries: CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    viewport: { width: 1280, height: 800 },
    deviceScaleFactor: 1,
    launchOptions: {
      // CHROMIUM: your own Chromium or Chrome where Debian's is not installed.
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: true,
    timeout: 60_000,
  },
});
