import { defineConfig } from 'vitest/config';

// Kernel and e2e tests share one kernel and two cores: their files run one at
// a time, and the two layers one after the other (groupOrder), so
// timing-sensitive failures (SYN timeouts, ARP) are not starved. Unit tests
// are pure and run in parallel, first.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'kernel', include: ['test/kernel/**/*.test.ts'], fileParallelism: false, sequence: { groupOrder: 1 } } },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], fileParallelism: false, sequence: { groupOrder: 2 } } },
    ],
  },
});
