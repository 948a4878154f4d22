import type { Reporter, TestModule } from 'vitest/node'

/**
 * Prints one plain closing line, `Tests: N passed, N failed, N skipped`,
 * after vitest's own summary, so any CI can read the counts. A run that
 * executed no test at all fails: a green run must have run something.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd (testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0
    let failed = 0
    let skipped = 0
    for (const m of testModules) {
      for (const t of m.children.allTests()) {
        const state = t.result().state
        if (state === 'passed') passed++
        else if (state === 'failed') failed++
        else skipped++
      }
    }
    process.stdout.write(`\nTests: ${passed} passed, ${failed + unhandledErrors.length} failed, ${skipped} skipped\n`)
    if (passed + failed === 0) {
      process.stdout.write('no test ran: failing the run\n')
      process.exitCode = 1
    }
  }
}
