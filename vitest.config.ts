import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // test files share their worker's loaded modules (each still gets its own
    // servers, folders, databases and key prefixes): the suite ran in 340 s
    // isolated and in 140 s this way, which keeps CI's three Node versions
    // within its time limit
    isolate: false,
    reporters: ['default', './test/summary-reporter.ts']
  }
})
