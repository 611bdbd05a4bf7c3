// Runs one workload on one database for every contestant: one process each, started together and
// left idle while the others run; then warm-up and measured rounds, each round asking every
// contestant in turn (the order rotating) so that a drift in machine speed hits all of them alike
// and each contestant's time can be paired with knex's time from the same round.
import type { OpenTarget } from './targets.js'
import { ChildHandle } from './child-handle.js'
import { countNewUsers, countUpdated, resetNewUsers } from './dataset.js'
import type { ContestantEntry } from './registry.js'
import type { WorkloadSpec } from './workloads.js'

export interface Outcome {
  status: 'ok' | 'error' | 'unsupported'
  /** The error, or why the contestant has no such workload. */
  message?: string | undefined
  /** Measured rounds, in order, in milliseconds (warm-ups left out). */
  times: number[]
  /** Peak heap of each measured round in MB (stream only). */
  heapMb: number[]
}

export interface RoundPlan {
  size: number
  warmup: number
  rounds: number
  /** Limit for one run; a contestant over it is stopped and reported as an error. */
  runTimeoutMs: number
}

const READY_TIMEOUT_MS = 120_000

interface Entrant {
  entry: ContestantEntry
  handle: ChildHandle
  outcome: Outcome
}

/** Runs the workload for every contestant and returns what each one measured. */
export async function runWorkload(
  open: OpenTarget,
  spec: WorkloadSpec,
  plan: RoundPlan,
  contestants: readonly ContestantEntry[],
): Promise<Map<string, Outcome>> {
  const entrants: Entrant[] = contestants.map((entry) => ({
    entry,
    handle: new ChildHandle({ module: entry.module.href, target: open.target, workload: spec.id, size: plan.size }),
    outcome: { status: 'ok', times: [], heapMb: [] },
  }))
  const began = Date.now()
  try {
    await Promise.all(entrants.map((e) => awaitReady(e)))
    if (process.env.BENCH_DEBUG) console.error(`  ${spec.id}: ready after ${Date.now() - began} ms`)
    const live = () => entrants.filter((e) => e.outcome.status === 'ok')
    for (let round = 0; round < plan.warmup + plan.rounds; round++) {
      const order = live()
      const shift = order.length ? round % order.length : 0
      for (const e of [...order.slice(shift), ...order.slice(0, shift)]) {
        await runRound(open, spec, plan, e, round)
      }
    }
    if (process.env.BENCH_DEBUG) console.error(`  ${spec.id}: rounds done after ${Date.now() - began} ms`)
  } finally {
    await Promise.all(entrants.map((e) => e.handle.close()))
    if (process.env.BENCH_DEBUG) console.error(`  ${spec.id}: closed after ${Date.now() - began} ms`)
  }
  return new Map(entrants.map((e) => [e.entry.name, e.outcome]))
}

async function awaitReady(e: Entrant): Promise<void> {
  try {
    const message = await e.handle.receive(READY_TIMEOUT_MS)
    if (message.type === 'failed') fail(e, message.error)
    else if (message.type === 'ready' && !message.supported) {
      e.outcome.status = 'unsupported'
      e.outcome.message = message.reason
    } else if (message.type !== 'ready') fail(e, `unexpected message ${message.type}`)
  } catch (error) {
    fail(e, (error as Error).message)
  }
}

function fail(e: Entrant, message: string) {
  e.outcome.status = 'error'
  e.outcome.message = message
}

async function runRound(open: OpenTarget, spec: WorkloadSpec, plan: RoundPlan, e: Entrant, round: number) {
  if (spec.resetsNewUsers) await resetNewUsers(open.knex)
  // Letters and digits only: the tag ends up in a LIKE pattern when checking updates.
  const tag = `${e.entry.name}${round}`
  let message
  try {
    message = await e.handle.run(tag, plan.runTimeoutMs)
  } catch (error) {
    return fail(e, (error as Error).message)
  }
  if (message.type === 'error') return fail(e, message.error)
  if (message.type !== 'result') return fail(e, `unexpected message ${message.type}`)
  const wrong = await check(open, spec, plan.size, tag, message.value)
  if (wrong) return fail(e, wrong)
  if (round >= plan.warmup) {
    e.outcome.times.push(message.ms)
    if (message.heapMb !== undefined) e.outcome.heapMb.push(message.heapMb)
  }
}

/** Why a run's result is wrong, or undefined when it is right. */
async function check(open: OpenTarget, spec: WorkloadSpec, size: number, tag: string, value: number | null) {
  const expected = spec.expected(size)
  if (expected !== null && value !== expected) return `wrong result: ${value} instead of ${expected}`
  if (spec.id === 'bulkInsert') {
    const rows = await countNewUsers(open.knex)
    if (rows !== size) return `wrong result: ${rows} rows inserted instead of ${size}`
  }
  if (spec.id === 'updates') {
    const saved = await countUpdated(open.knex, tag)
    if (saved !== size) return `wrong result: ${saved} users saved instead of ${size}`
  }
  return undefined
}
