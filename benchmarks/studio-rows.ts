// The studio's rows page on a 1,000,000-row table, over real HTTP: the first page (with and
// without the count), a deep page, a sort by an indexed and an unindexed column, a filter.
//   node --import ./scripts/register-ts.js benchmarks/studio-rows.ts [sqlite|postgres]
import 'reflect-metadata'
import { mkdtempSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { column, connect, Model, table } from '../src/index.js'
import { startStudio } from '../src/studio/index.js'

const ROWS = Number(process.env.STUDIO_ROWS ?? 1_000_000)
const ROUNDS = 7
const dialect = process.argv[2] ?? 'sqlite'

@table('bench_events')
class BenchEvent extends Model {
  @column.primary() declare id: number
  @column() declare name: string
  @column() declare score: number
  @column() declare note: string
}

function get(origin: string, path: string, cookie: string): Promise<{ status: number; body: string; cookie?: string }> {
  const url = new URL(path, origin)
  return new Promise((resolve, reject) => {
    request({ host: url.hostname, port: url.port, path: url.pathname + url.search, headers: { cookie } }, (res) => {
      let body = ''
      res.on('data', (c: Buffer) => (body += c.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, cookie: String(res.headers['set-cookie'] ?? '').split(';')[0] }))
    }).on('error', reject).end()
  })
}

const dir = mkdtempSync(join(tmpdir(), 'quarry-studio-bench-'))
// PostgreSQL: a database of its own, dropped at the end.
const server = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const admin = dialect === 'postgres' ? await connect(server) : undefined
await admin?.raw('drop database if exists quarry_bench_studio')
await admin?.raw('create database quarry_bench_studio')
const url = dialect === 'postgres' ? server.replace(/\/[^/]*$/, '/quarry_bench_studio') : `sqlite:${join(dir, 'bench.db')}`
const db = await connect(url)
BenchEvent.useConnection(db.connection())
try {
  await db.knex.schema.dropTableIfExists('bench_events')
  await db.knex.schema.createTable('bench_events', (t) => {
    t.increments('id')
    t.string('name').notNullable().index()
    t.integer('score').notNullable()
    t.string('note').notNullable()
  })
  const started = performance.now()
  // One statement: a bound insert of a million rows would pass the drivers' parameter limits.
  if (dialect === 'postgres') {
    await db.raw(`insert into bench_events (name, score, note) select 'event ' || (i % 9973), (i::bigint * 7919) % 100000, 'note ' || i from generate_series(0, ${ROWS - 1}) as i`)
  } else {
    await db.raw(`insert into bench_events (name, score, note) with recursive n(i) as (select 0 union all select i + 1 from n where i < ${ROWS - 1}) select 'event ' || (i % 9973), (i * 7919) % 100000, 'note ' || i from n`)
  }
  if (dialect === 'postgres') await db.raw('analyze bench_events')
  console.error(`seeded ${ROWS} rows in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  const studio = await startStudio({ db, models: [{ name: 'BenchEvent', model: BenchEvent }], port: 0 })
  const { cookie } = await get(studio.origin, `/?token=${studio.token}`, '')
  const cases: Array<[string, string]> = [
    ['first page, with count', '/api/models/BenchEvent/rows'],
    ['first page, count skipped', '/api/models/BenchEvent/rows?count=0'],
    ['page 20,000 (offset 499,975)', '/api/models/BenchEvent/rows?page=20000&count=0'],
    ['sorted by an indexed column', '/api/models/BenchEvent/rows?sort=name&count=0'],
    ['sorted by an unindexed column', '/api/models/BenchEvent/rows?sort=score&direction=desc&count=0'],
    ['filter contains, with count', `/api/models/BenchEvent/rows?filters=${encodeURIComponent(JSON.stringify([{ column: 'note', op: 'contains', value: '99999' }]))}`],
  ]
  console.log(`| ${dialect}, ${ROWS.toLocaleString('en')} rows | median ms | max ms |\n|---|---:|---:|`)
  for (const [label, path] of cases) {
    const times: number[] = []
    for (let i = 0; i < ROUNDS; i++) {
      const t = performance.now()
      const answer = await get(studio.origin, path, cookie!)
      times.push(performance.now() - t)
      if (answer.status !== 200) throw new Error(`${label}: ${answer.status} ${answer.body}`)
    }
    times.sort((a, b) => a - b)
    console.log(`| ${label} | ${times[ROUNDS >> 1]!.toFixed(1)} | ${times.at(-1)!.toFixed(1)} |`)
  }
  await studio.close()
  await db.knex.schema.dropTableIfExists('bench_events')
} finally {
  await db.close()
  await admin?.raw('drop database if exists quarry_bench_studio')
  await admin?.close()
  rmSync(dir, { recursive: true, force: true })
}
