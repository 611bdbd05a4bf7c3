// One contestant on one workload, in a process of its own: it opens the contestant, says whether
// it has the workload, then runs it whenever the parent asks, timing each run and, for the stream,
// sampling the heap. Started by the orchestrator through `fork`, never by hand.
import { performance } from 'node:perf_hooks'
import type { BenchTarget, Contestant, OpenContestant, WorkloadId } from './contestant.js'
import { findIds, newUserRows, PAGE, PER_PAGE, updateIds } from './workloads.js'
import type { ChildConfig, ChildMessage, ParentMessage } from './protocol.js'

const config = JSON.parse(process.argv[2]!) as ChildConfig
const send = (message: ChildMessage) => process.send!(message)
const gc = (globalThis as { gc?: () => void }).gc
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 25)

/** A short, one-line account of an error for the table. */
function describe(error: unknown): string {
  const text = error instanceof Error ? `${error.message}` : String(error)
  return text.split('\n')[0]!.slice(0, 160)
}

async function open(): Promise<Contestant> {
  const module = (await import(config.module)) as { default: OpenContestant }
  return module.default(config.target as BenchTarget)
}

/** Heap sampling for the stream: every 4,096 rows and every 5 ms, whichever comes first. */
function heapProbe() {
  let peak = 0
  let rows = 0
  let sum = 0
  const sample = () => {
    const used = process.memoryUsage().heapUsed
    if (used > peak) peak = used
  }
  const timer = setInterval(sample, 5)
  return {
    sink: (value: number) => {
      sum += value
      if ((++rows & 4095) === 0) sample()
    },
    finish: () => {
      clearInterval(timer)
      sample()
      return { sum, peakMb: peak / 1024 / 1024 }
    },
  }
}

/** Runs the workload once; resolves to the check value and, for the stream, the peak heap. */
async function runOnce(contestant: Contestant, id: WorkloadId, size: number, tag: string) {
  const w = contestant.workloads
  const inputs = prepared
  gc?.()
  // V8 finishes a full collection's sweeping on background threads: let it end before the clock
  // starts, or on two cores the run shares the CPU with its own collector (and knex, with the
  // least garbage, came out ahead of the raw driver).
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS))
  let value: unknown
  let heapMb: number | undefined
  const started = performance.now()
  switch (id) {
    case 'bulkInsert': value = await w.bulkInsert!(inputs.rows!); break
    case 'singleInserts': value = await w.singleInserts!(inputs.rows!); break
    case 'loadModels': value = await w.loadModels!(); break
    case 'findByKey': value = await w.findByKey!(inputs.ids!); break
    case 'eagerLoad': value = await w.eagerLoad!(size); break
    case 'paginate': value = await w.paginate!(PAGE, PER_PAGE, size); break
    case 'updates': value = await w.updates!(inputs.ids!, tag); break
    case 'withCount': value = await w.withCount!(); break
    case 'stream': {
      const probe = heapProbe()
      await w.stream!(probe.sink)
      const { sum, peakMb } = probe.finish()
      value = sum
      heapMb = peakMb
      break
    }
  }
  const ms = performance.now() - started
  return { ms, value: typeof value === 'number' ? value : null, heapMb }
}

/** Inputs made before any timing, so building them is not measured. */
const prepared: { rows?: ReturnType<typeof newUserRows>; ids?: number[] } = {}
const id = config.workload
if (id === 'bulkInsert' || id === 'singleInserts') prepared.rows = newUserRows(config.size)
if (id === 'findByKey') prepared.ids = findIds(config.size)
if (id === 'updates') prepared.ids = updateIds(config.size)

let contestant: Contestant | undefined
try {
  contestant = await open()
  const supported = typeof contestant.workloads[id] === 'function'
  send({ type: 'ready', supported, reason: supported ? undefined : contestant.unsupported?.[id] })
} catch (error) {
  send({ type: 'failed', error: describe(error) })
}

// The parent is gone (stopped, crashed): nothing left to run for.
process.on('disconnect', () => process.exit(0))

process.on('message', async (message: ParentMessage) => {
  if (message.type === 'close') {
    try {
      await contestant?.close()
    } finally {
      process.exit(0)
    }
  }
  try {
    send({ type: 'result', ...(await runOnce(contestant!, id, config.size, message.tag)) })
  } catch (error) {
    send({ type: 'error', error: describe(error) })
  }
})
