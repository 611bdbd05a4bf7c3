// Read/write routing overhead: a 90%-read mix through a connection with two read replicas, against
// the same mix through a connection with none (every statement to the primary), in one run.
// The replicas are further pools on the same database, so the servers' work is identical and
// only the routing differs.
//   node --import ./scripts/register-ts.js benchmarks/routing-overhead.ts [sqlite|postgres|mysql ...]
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { connect, type ConnectionConfig, type Database } from '../src/index.js'

const ROUNDS = 9
const OPERATIONS = 4_000
const dir = mkdtempSync(join(tmpdir(), 'quarry-routing-'))
const nodes: Record<string, ConnectionConfig['write']> = {
  sqlite: { filename: join(dir, 'routing.db') },
  postgres: { url: 'postgres://postgres@127.0.0.1:5432/test' },
  mysql: { url: 'mysql://root@127.0.0.1:3306/test' },
}
const drivers = { sqlite: 'sqlite', postgres: 'postgres', mysql: 'mysql' } as const

async function mix(db: Database): Promise<number> {
  const started = performance.now()
  for (let i = 0; i < OPERATIONS; i++) {
    if (i % 10 === 0) await db.table('routing_bench').where('id', (i % 100) + 1).update({ n: i })
    else await db.table('routing_bench').where('id', (i % 100) + 1).first()
  }
  return performance.now() - started
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

for (const name of process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(nodes)) {
  const node = nodes[name]!
  const driver = drivers[name as keyof typeof drivers]
  const direct = await connect({ driver, write: node })
  const routed = await connect({ driver, write: node, read: [node, node] })
  await direct.knex.schema.dropTableIfExists('routing_bench')
  await direct.knex.schema.createTable('routing_bench', (t) => {
    t.increments('id')
    t.integer('n')
  })
  await direct.table('routing_bench').insert(Array.from({ length: 100 }, (_, n) => ({ n })))
  const ratios: number[] = []
  const directTimes: number[] = []
  const routedTimes: number[] = []
  await mix(direct)
  await mix(routed)
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate who goes first so drift in machine speed falls on both.
    const [a, b] = round % 2 ? [await mix(routed), await mix(direct)] : [await mix(direct), await mix(routed)].reverse()
    routedTimes.push(a!)
    directTimes.push(b!)
    ratios.push(a! / b!)
  }
  await direct.knex.schema.dropTable('routing_bench')
  await direct.close()
  await routed.close()
  const perOp = (ms: number) => ((ms / OPERATIONS) * 1000).toFixed(1)
  console.log(`\n### ${name}: ${OPERATIONS} operations, 90% reads (median of ${ROUNDS} paired rounds)`)
  console.log('| connection | ms | µs per operation |')
  console.log('| --- | ---: | ---: |')
  console.log(`| primary only | ${median(directTimes).toFixed(1)} | ${perOp(median(directTimes))} |`)
  console.log(`| primary + 2 replicas (reads routed) | ${median(routedTimes).toFixed(1)} | ${perOp(median(routedTimes))} |`)
  console.log(`| routing overhead (median of per-round ratios) | ${((median(ratios) - 1) * 100).toFixed(1)}% | |`)
}
rmSync(dir, { recursive: true, force: true })
