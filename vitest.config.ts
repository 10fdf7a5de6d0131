import { defineConfig } from 'vitest/config';

// Three projects: fast unit tests, integration tests against a real PostgreSQL (a throwaway
// database per test file, cloned from a migrated template), and e2e in a real Chromium.
export default defineConfig({
  test: {
    reporters: ['default'],
    projects: [
      {
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: [
            'shared/**/*.test.ts',
            'client/**/*.test.{ts,tsx}',
            'device-bridge/**/*.unit.test.ts',
            'scripts/test/**/*.test.ts',
          ],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: ['sync-server/test/**/*.test.ts', 'device-bridge/test/**/*.test.ts'],
          globalSetup: ['sync-server/test/support/globalSetup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: 'forks',
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'e2e',
          sequence: { groupOrder: 2 },
          include: ['e2e/**/*.test.ts'],
          globalSetup: ['sync-server/test/support/globalSetup.ts', 'e2e/support/buildClient.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          pool: 'forks',
          maxWorkers: 1,
          fileParallelism: false,
        },
      },
    ],
  },
});
