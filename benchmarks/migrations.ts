// Time to apply and roll back 100 generated migrations on each dialect, through the Migrator
// (each migration in its own transaction where the dialect has transactional DDL, and recorded in
// quarry_migrations), from a directory of .ts files and from bundled classes.
//
//   node --import ./scripts/register-ts.js benchmarks/migrations.ts [--count 100] [--runs 3]
//
// Server URLs: QUARRY_TEST_POSTGRES_URL / QUARRY_TEST_MYSQL_URL, else the local services.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { connect, Migration, type MigrationClass, Migrator } from '../src/index.js'

const { values } = parseArgs({ options: { count: { type: 'string', default: '100' }, runs: { type: 'string', default: '3' } } })
const COUNT = Number(values.count)
const RUNS = Number(values.runs)
const SERVERS = {
  postgres: process.env.QUARRY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  mysql: process.env.QUARRY_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test',
}
const SRC = resolve(import.meta.dirname, '../src/index.ts')

/** Migration i creates table_i: a key, a foreign key to the previous table, a few columns, an index. */
function tableOf(i: number): (t: import('../src/index.js').TableBuilder) => void {
  return (t) => {
    t.id()
    if (i > 0) t.foreignId(`table_${i - 1}_id`).nullable().constrained(`table_${i - 1}`).cascadeOnDelete()
    t.string('name')
    t.json('meta').nullable()
    t.boolean('active').default(true)
    t.timestamps()
    t.index(['name', 'active'])
  }
}

function bundled(): Record<string, MigrationClass> {
  const out: Record<string, MigrationClass> = {}
  for (let i = 0; i < COUNT; i++) {
    out[`2026_01_01_${String(i).padStart(6, '0')}_create_table_${i}`] = class extends Migration {
      async up() {
        await this.schema.createTable(`table_${i}`, tableOf(i))
      }
      async down() {
        await this.schema.dropTable(`table_${i}`)
      }
    }
  }
  return out
}

function directory(): string {
  const dir = mkdtempSync(join(tmpdir(), 'quarry-bench-migrations-'))
  for (let i = 0; i < COUNT; i++) {
    const foreign = i > 0 ? `t.foreignId('table_${i - 1}_id').nullable().constrained('table_${i - 1}').cascadeOnDelete()\n` : ''
    writeFileSync(
      join(dir, `2026_01_01_${String(i).padStart(6, '0')}_create_table_${i}.ts`),
      `import { Migration } from ${JSON.stringify(SRC)}
export default class extends Migration {
  async up(): Promise<void> {
    await this.schema.createTable('table_${i}', (t) => {
      t.id()
      ${foreign}      t.string('name')
      t.json('meta').nullable()
      t.boolean('active').default(true)
      t.timestamps()
      t.index(['name', 'active'])
    })
  }
  async down(): Promise<void> {
    await this.schema.dropTable('table_${i}')
  }
}
`,
    )
  }
  return dir
}

/** A fresh database: a file, or a server database dropped afterwards. */
async function target(dialect: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (dialect === 'sqlite' || dialect === 'libsql') {
    const dir = mkdtempSync(join(tmpdir(), 'quarry-bench-'))
    const file = join(dir, 'bench.db')
    return { url: dialect === 'sqlite' ? `sqlite:${file}` : `libsql:file:${file}`, drop: async () => rmSync(dir, { recursive: true, force: true }) }
  }
  const server = SERVERS[dialect as keyof typeof SERVERS]
  const name = `quarry_bench_${randomBytes(4).toString('hex')}`
  const quote = dialect === 'postgres' ? `"${name}"` : `\`${name}\``
  const admin = await connect(server)
  await admin.raw(`create database ${quote}`)
  await admin.close()
  const url = new URL(server)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    drop: async () => {
      const again = await connect(server)
      await again.raw(`drop database ${quote}`)
      await again.close()
    },
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

async function measure(dialect: string, dir: string): Promise<string> {
  const db = await target(dialect).catch((error: unknown) => ({ error }))
  if ('error' in db) return `| ${dialect} | unreachable: ${String((db.error as Error).message).split('\n')[0]} | | | |`
  const conn = await connect(db.url)
  try {
    const timings = { bundledUp: [] as number[], bundledDown: [] as number[], filesUp: [] as number[], filesDown: [] as number[] }
    for (let run = 0; run < RUNS; run++) {
      for (const [kind, options] of [['bundled', { bundled: bundled() }], ['files', { directory: dir }]] as const) {
        const migrator = new Migrator(conn, options)
        let started = performance.now()
        const up = await migrator.latest()
        timings[`${kind}Up`].push(performance.now() - started)
        if (up.migrations.length !== COUNT) throw new Error(`${dialect}: applied ${up.migrations.length} of ${COUNT}`)
        started = performance.now()
        const down = await migrator.reset()
        timings[`${kind}Down`].push(performance.now() - started)
        if (down.migrations.length !== COUNT) throw new Error(`${dialect}: rolled back ${down.migrations.length} of ${COUNT}`)
      }
    }
    const cell = (xs: number[]) => `${(median(xs) / 1000).toFixed(2)} s (${(median(xs) / COUNT).toFixed(1)} ms each)`
    return `| ${dialect} | ${cell(timings.bundledUp)} | ${cell(timings.bundledDown)} | ${cell(timings.filesUp)} | ${cell(timings.filesDown)} |`
  } finally {
    await conn.close()
    await db.drop()
  }
}

const dir = directory()
console.log(`${COUNT} migrations, median of ${RUNS} runs; Node ${process.version}\n`)
console.log('| dialect | apply (bundled) | roll back (bundled) | apply (.ts files) | roll back (.ts files) |')
console.log('| --- | --- | --- | --- | --- |')
for (const dialect of ['sqlite', 'libsql', 'postgres', 'mysql']) console.log(await measure(dialect, dir))
rmSync(dir, { recursive: true, force: true })
