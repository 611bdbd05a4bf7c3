import type { Reporter, TestModule } from 'vitest/node'

/**
 * Prints one closing line, `Tests: N passed, N failed, N skipped`, that CI reads to know tests
 * really ran (vitest's own summary is not in a format it recognises).
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 }
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state
        if (state === 'passed') counts.passed++
        else if (state === 'failed') counts.failed++
        else counts.skipped++
      }
      if (module.state() === 'failed' && ![...module.children.allTests()].length) counts.failed++
    }
    console.log(`\nTests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`)
  }
}
