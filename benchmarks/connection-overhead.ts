// Connect/ping and transaction overhead of Quarry against knex alone, same database, same run.
//   node --import ./scripts/register-ts.js benchmarks/connection-overhead.ts [sqlite|postgres|mysql ...]
import knexFactory, { type Knex } from 'knex'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { connect } from '../src/index.js'

const ROUNDS = 7
const TRANSACTIONS = 1_000
const QUERIES = 5_000

const dir = mkdtempSync(join(tmpdir(), 'quarry-bench-'))
const targets: Record<string, { url: string; knex: () => Knex.Config }> = {
  sqlite: {
    url: `sqlite:${join(dir, 'bench.db')}`,
    knex: () => ({ client: 'better-sqlite3', connection: { filename: join(dir, 'bench.db') }, useNullAsDefault: true }),
  },
  postgres: {
    url: 'postgres://postgres@127.0.0.1:5432/test',
    knex: () => ({ client: 'pg', connection: 'postgres://postgres@127.0.0.1:5432/test', pool: { min: 0, max: 10 } }),
  },
  mysql: {
    url: 'mysql://root@127.0.0.1:3306/test',
    knex: () => ({ client: 'mysql2', connection: 'mysql://root@127.0.0.1:3306/test', pool: { min: 0, max: 10 } }),
  },
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

async function time(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now()
  await fn()
  return performance.now() - started
}

async function measure(name: string) {
  const target = targets[name]!
  const rows: Array<[string, number, number]> = []
  const pairs = { connect: [[], []], transaction: [[], []], query: [[], []] } as Record<string, [number[], number[]]>
  for (let round = 0; round < ROUNDS; round++) {
    // connect + first ping
    pairs.connect![0].push(await time(async () => { const k = knexFactory(target.knex()); await k.raw('select 1'); await k.destroy() }))
    pairs.connect![1].push(await time(async () => { const db = await connect(target.url); await db.close() }))

    const k = knexFactory(target.knex())
    const db = await connect(target.url)
    await k.schema.dropTableIfExists('bench_tx')
    await k.schema.createTable('bench_tx', (t) => { t.increments('id'); t.integer('n') })
    pairs.transaction![0].push(await time(async () => {
      for (let i = 0; i < TRANSACTIONS; i++) await k.transaction(async (trx) => { await trx('bench_tx').insert({ n: i }) })
    }))
    pairs.transaction![1].push(await time(async () => {
      for (let i = 0; i < TRANSACTIONS; i++) await db.transaction(async () => { await db.table('bench_tx').insert({ n: i }) })
    }))
    pairs.query![0].push(await time(async () => { for (let i = 0; i < QUERIES; i++) await k('bench_tx').where('id', i % 100 + 1).first() }))
    pairs.query![1].push(await time(async () => { for (let i = 0; i < QUERIES; i++) await db.table('bench_tx').where('id', i % 100 + 1).first() }))
    await k.schema.dropTable('bench_tx')
    await k.destroy()
    await db.close()
  }
  for (const [label, [knexTimes, quarryTimes]] of Object.entries(pairs)) {
    rows.push([label, median(knexTimes), median(quarryTimes)])
  }
  console.log(`\n### ${name} (median of ${ROUNDS} rounds)`)
  console.log('| workload | knex ms | quarry ms | quarry / knex |')
  console.log('| --- | ---: | ---: | ---: |')
  const label = { connect: 'connect + ping', transaction: `${TRANSACTIONS} transactions of one insert`, query: `${QUERIES} db.table().first()` }
  for (const [key, knexMs, quarryMs] of rows) {
    console.log(`| ${label[key as keyof typeof label]} | ${knexMs.toFixed(1)} | ${quarryMs.toFixed(1)} | ${(quarryMs / knexMs).toFixed(2)} |`)
  }
}

const asked = process.argv.slice(2)
for (const name of asked.length ? asked : Object.keys(targets)) await measure(name)
rmSync(dir, { recursive: true, force: true })
