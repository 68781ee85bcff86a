import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: [
      'edge/**/*.test.ts',
      'core/**/*.test.ts',
      'gpu-worker/**/*.test.ts',
      'tests/**/*.test.ts',
      // Development tooling's unit tests sit beside it (scripts/dev/).
      'scripts/**/*.test.ts',
    ],
    globalSetup: ['tests/setup/global.ts'],
    // The shared test Redis runs without persistence (--save "" --appendonly no):
    // services the tests start (children inherit this) accept it knowingly.
    env: { QUEUE_REDIS_ALLOW_VOLATILE: 'true' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores here: more forks only add contention on the shared servers.
    maxWorkers: 2,
  },
})
