// The cost of date columns on the embedded dialects: loading 10,000 models with two timestamps,
// and bulk-inserting 10,000 rows with two timestamps, through Quarry alone.
//   node --import ./scripts/register-ts.js benchmarks/dates.ts [sqlite|libsql ...]
// Or: npm run bench -- --suite dates sqlite
import 'reflect-metadata'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { column, connect, Model, table } from '../src/index.js'

const ROWS = 10_000
const ROUNDS = Number(process.env.DATES_ROUNDS ?? 9)
const dir = mkdtempSync(join(tmpdir(), 'quarry-dates-'))

@table('stamped')
class Stamped extends Model {
  @column.primary() declare id: number
  @column() declare name: string
  @column.createdAt() declare createdAt: Date
  @column.updatedAt() declare updatedAt: Date
}

const base = Date.UTC(2026, 0, 1)
const rows = Array.from({ length: ROWS }, (_, i) => ({
  name: `row ${i}`,
  createdAt: new Date(base + i * 61_000),
  updatedAt: new Date(base + i * 61_000 + 1234),
}))

/** Wall-clock and CPU milliseconds (CPU time is steadier on a shared machine). */
async function timed(fn: () => Promise<unknown>): Promise<[wall: number, cpu: number]> {
  const started = performance.now()
  const cpu = process.cpuUsage()
  await fn()
  const used = process.cpuUsage(cpu)
  return [performance.now() - started, (used.user + used.system) / 1000]
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

for (const name of process.argv.slice(2).length ? process.argv.slice(2) : ['sqlite', 'libsql']) {
  const file = join(dir, `${name}.db`)
  const db = await connect(name === 'sqlite' ? { driver: 'sqlite', write: { filename: file } } : { url: `libsql:file:${file}` })
  // What the schema builder's t.id(), t.string('name'), t.timestamps() make on SQLite.
  await db.raw('create table stamped (id integer primary key autoincrement, name varchar(255) not null, created_at datetime, updated_at datetime)')
  await Stamped.insert(rows)
  const load: Array<[number, number]> = []
  const insert: Array<[number, number]> = []
  for (let round = 0; round < 2 + ROUNDS; round++) {
    let sum = 0
    const l = await timed(async () => {
      for (const model of await Stamped.all()) sum += model.createdAt.getTime() > model.updatedAt.getTime() ? 1 : 0
    })
    if (sum !== 0) throw new Error('dates read back wrong')
    const b = await timed(() => Stamped.insert(rows))
    await db.table('stamped').where('id', '>', ROWS).delete()
    if (round >= 2) {
      load.push(l)
      insert.push(b)
    }
  }
  await db.close()
  console.log(`\n### ${name}: ${ROWS.toLocaleString('en')} rows with two timestamps (median of ${ROUNDS} rounds after 2 warm-ups)`)
  console.log('| workload | median ms | min ms | median CPU ms |')
  console.log('| --- | ---: | ---: | ---: |')
  for (const [title, times] of [['load as models', load], ['bulk insert', insert]] as const) {
    const wall = times.map((t) => t[0])
    console.log(`| ${title} | ${median(wall).toFixed(1)} | ${Math.min(...wall).toFixed(1)} | ${median(times.map((t) => t[1])).toFixed(1)} |`)
  }
}
rmSync(dir, { recursive: true, force: true })
