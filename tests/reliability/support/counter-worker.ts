// A separate process adding to two counters, so that embedded databases see writers contend
// through the file lock (and its busy timeout), as several app processes would.
// Usage: node --import ./scripts/register-ts.js counter-worker.ts <url> <count> <incrementId> <forUpdateId>
// Prints "ready" once connected, starts when a line arrives on stdin, then prints its failures as JSON.
import { connect } from '../../../src/index.js'
import { bump, Counter, failures } from './counter.js'

const [url, count, incrementId, forUpdateId] = process.argv.slice(2)
// The busy timeout is raised from its 5 s default: on a loaded 2-core machine one write can
// legitimately wait longer than that for the file lock. What this file tests is that writers
// serialise through the lock, not how long one may wait.
const db = await connect({ url: url!, busyTimeoutMs: 30_000, pool: { min: 0, max: 10, acquireTimeoutMs: 600_000 } })
try {
  const [increments, locked] = await Promise.all([Counter.findOrFail(Number(incrementId)), Counter.findOrFail(Number(forUpdateId))])
  process.stdout.write('ready\n')
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()))
  const settled = await Promise.allSettled(
    Array.from({ length: Number(count) }, () => [bump(db, 'increment', increments), bump(db, 'forUpdate', locked)]).flat(),
  )
  process.stdout.write(`${JSON.stringify({ failures: failures(settled) })}\n`)
} finally {
  await db.close()
}
