// What model events cost: loading 10,000 models on SQLite with the events module's hooks unset,
// installed with no listener, with listeners elsewhere, and with a retrieved listener; and what
// a listener costs a single-model write. Interleaved rounds, medians of process CPU time.
//   node --expose-gc --import ./scripts/register-ts.js benchmarks/retrieved-cost.ts [rounds]
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { column, connect, Model, setLifecycleHooks, table } from '../src/index.js'
import { eventHooks } from '../src/events/index.js'
import { hydrate } from '../src/model/hydrate.js'
import { modelMetadata } from '../src/model/model.js'

const ROWS = 10_000
const ROUNDS = Number(process.argv[2] ?? 40)
const WRITES = 500

@table('bench_people')
class Person extends Model {
  @column.primary() declare id: number
  @column() declare email: string
  @column() declare name: string | null
  @column() declare age: number | null
  @column.boolean() declare active: boolean
  @column.createdAt() declare createdAt: Date
  @column.updatedAt() declare updatedAt: Date
}

@table('bench_others')
class Other extends Model {
  @column.primary() declare id: number
}

type Setup = () => () => void
const none: Setup = () => () => {}

const loads: Record<string, { hooks: boolean; setup: Setup }> = {
  'hooks unset (no events module)': { hooks: false, setup: none },
  'hooks unset, again (A/A control: the noise floor)': { hooks: false, setup: none },
  'events installed, no listener': { hooks: true, setup: none },
  'listeners on other events/models only': {
    hooks: true,
    setup: () => {
      const offs = [Model.on('saved', () => {}), Other.on('retrieved', () => {}), Person.on('creating', () => {})]
      return () => offs.forEach((off) => off())
    },
  },
  'a sync retrieved listener': { hooks: true, setup: () => Person.on('retrieved', (p) => void p.email) },
  'an async retrieved listener': { hooks: true, setup: () => Person.on('retrieved', async (p) => void p.email) },
}

const writes: Record<string, Setup> = {
  'no listener': none,
  'a creating listener': () => Person.on('creating', (p) => void (p.name = p.name ?? 'n')),
  'a created listener (step runs in a transaction)': () => Person.on('created', () => {}),
  'an afterCommit observer only': () => Person.observe({ afterCommit: true, created: () => {} }),
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const quartiles = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return [s[Math.floor(s.length / 4)]!, s[Math.floor((3 * s.length) / 4)]!]
}

// With --expose-gc, collect before each timing so one configuration does not pay for another's garbage.
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {})

// CPU time of this process (better-sqlite3 runs in it), in ms: less disturbed than wall time
// when other processes share the machine.
async function time(fn: () => Promise<unknown>): Promise<number> {
  gc()
  const started = process.cpuUsage()
  await fn()
  const used = process.cpuUsage(started)
  return (used.user + used.system) / 1000
}

const dir = mkdtempSync(join(tmpdir(), 'quarry-events-bench-'))
const db = await connect(`sqlite:${join(dir, 'bench.db')}`)
try {
  await db.knex.schema.createTable('bench_people', (t) => {
    t.increments('id')
    t.string('email').notNullable()
    t.string('name').nullable()
    t.integer('age').nullable()
    t.boolean('active').notNullable()
    t.datetime('created_at', { precision: 3 }).notNullable()
    t.datetime('updated_at', { precision: 3 }).notNullable()
  })
  await db.knex.schema.createTable('bench_others', (t) => t.increments('id'))
  await Person.insert(Array.from({ length: ROWS }, (_, i) => ({ email: `p${i}@x.io`, name: `P ${i}`, age: i % 90, active: i % 2 === 0 })))

  const loadTimes = new Map(Object.keys(loads).map((k) => [k, [] as number[]]))
  const hydrateTimes = new Map(Object.keys(loads).map((k) => [k, [] as number[]]))
  const fetched = (await db.table('bench_people')) as Array<Record<string, unknown>>
  const meta = modelMetadata(Person)
  for (let round = -5; round < ROUNDS; round++) {
    // Rotate the order each round so no configuration always runs first.
    const names = Object.keys(loads)
    const order = names.map((_, i) => names[(i + round + names.length) % names.length]!)
    for (const name of order) {
      const { hooks, setup } = loads[name]!
      setLifecycleHooks(hooks ? eventHooks : undefined)
      const teardown = setup()
      const ms = await time(async () => {
        const people = await Person.query()
        if (people.length !== ROWS) throw new Error(`loaded ${people.length}`)
      })
      // The same, without the driver: hydrating rows already fetched (copies, as hydration casts in place).
      const copies = Array.from({ length: 10 }, () => fetched.map((row) => ({ ...row })))
      const hydrated = await time(async () => {
        for (const rows of copies) await hydrate(meta, rows, false)
      })
      teardown()
      if (round >= 0) {
        loadTimes.get(name)!.push(ms)
        hydrateTimes.get(name)!.push(hydrated / copies.length)
      }
    }
  }
  setLifecycleHooks(eventHooks)

  const writeTimes = new Map(Object.keys(writes).map((k) => [k, [] as number[]]))
  for (let round = -2; round < Math.ceil(ROUNDS / 4); round++) {
    for (const [name, setup] of Object.entries(writes)) {
      const teardown = setup()
      const ms = await time(async () => {
        for (let i = 0; i < WRITES; i++) await Person.create({ email: `w${i}@x.io`, active: true })
      })
      teardown()
      await db.table('bench_people').where('email', 'like', 'w%').delete()
      if (round >= 0) writeTimes.get(name)!.push(ms / WRITES)
    }
  }

  // Each round runs every configuration back to back: compare within the round (paired), so
  // drift in machine load between rounds cancels out.
  const baseline = loadTimes.get('hooks unset (no events module)')!
  console.log(`\nLoading ${ROWS.toLocaleString('en')} models on SQLite, ${ROUNDS} interleaved rounds, Node ${process.version}\n`)
  console.log('| configuration | median ms [p25–p75] | fastest ms | vs hooks unset (median of per-round ratios) |')
  console.log('|---|---:|---:|---:|')
  for (const [name, xs] of loadTimes) {
    const [q1, q3] = quartiles(xs)
    const ratio = median(xs.map((x, i) => x / baseline[i]!))
    const sign = ratio >= 1 ? '+' : '−'
    console.log(`| ${name} | ${median(xs).toFixed(1)} [${q1.toFixed(1)}–${q3.toFixed(1)}] | ${Math.min(...xs).toFixed(1)} | ${sign}${(Math.abs(ratio - 1) * 100).toFixed(1)}% |`)
  }
  const hydrateBase = hydrateTimes.get('hooks unset (no events module)')!
  console.log(`\nHydration alone: ${ROWS.toLocaleString('en')} rows already fetched become models (no driver, no I/O)\n`)
  console.log('| configuration | median ms [p25–p75] | fastest ms | vs hooks unset (median of per-round ratios) |')
  console.log('|---|---:|---:|---:|')
  for (const [name, xs] of hydrateTimes) {
    const [q1, q3] = quartiles(xs)
    const ratio = median(xs.map((x, i) => x / hydrateBase[i]!))
    const sign = ratio >= 1 ? '+' : '−'
    console.log(`| ${name} | ${median(xs).toFixed(2)} [${q1.toFixed(2)}–${q3.toFixed(2)}] | ${Math.min(...xs).toFixed(2)} | ${sign}${(Math.abs(ratio - 1) * 100).toFixed(1)}% |`)
  }
  console.log(`\nOne Person.create(), SQLite file database (${WRITES} per round, median per create)\n`)
  console.log('| listeners | µs per create |')
  console.log('|---|---:|')
  for (const [name, xs] of writeTimes) console.log(`| ${name} | ${(median(xs) * 1000).toFixed(0)} |`)
} finally {
  await db.close()
  rmSync(dir, { recursive: true, force: true })
}
