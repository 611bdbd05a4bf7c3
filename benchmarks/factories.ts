// Factories: `UserFactory.count(10_000).create()` against `User.insert()` of the same rows.
// Three ways, each on an emptied table, alternating their order from round to round:
//   insert     User.insert(rows): the rows made beforehand, one bulk insert, no events
//   batched    UserFactory.count(n).create(): nothing listens, no afterCreating, so batched inserts
//   per-row    the same with a `created` listener: each model through save(), events firing
// The factory figures include making the fake data (faker) and the models; `raw` times that alone.
//   npm run bench -- --suite factories [sqlite|postgres|mysql ...] [--rows N] [--rounds N]
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { column, connect, type Database, defineFactory, Factory, Model, table } from '../src/index.js'

const args = process.argv.slice(2)
const option = (name: string, fallback: number) => {
  const i = args.indexOf(name)
  return i >= 0 ? Number(args.splice(i, 2)[1]) : fallback
}
const ROWS = option('--rows', 10_000)
const ROUNDS = option('--rounds', 5)

const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir()
const dir = mkdtempSync(join(base, 'quarry-factories-'))
const urls: Record<string, string> = {
  sqlite: `sqlite:${join(dir, 'factories.db')}`,
  postgres: process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  mysql: process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test',
}

@table('bench_factory_users')
class User extends Model {
  @column.primary() declare id: number
  @column() declare email: string
  @column() declare name: string
  @column.boolean() declare active: boolean
  @column() declare age: number
  @column.createdAt() declare createdAt: Date
  @column.updatedAt() declare updatedAt: Date
}

const UserFactory = defineFactory(User, ({ faker, sequence }) => ({
  email: `user${sequence}@example.test`,
  name: faker.person.fullName(),
  active: faker.datatype.boolean(),
  age: faker.number.int({ min: 18, max: 90 }),
}))

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now()
  await fn()
  return performance.now() - started
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

async function prepare(db: Database): Promise<void> {
  await db.knex.schema.dropTableIfExists('bench_factory_users')
  await db.knex.schema.createTable('bench_factory_users', (t) => {
    t.increments('id')
    t.string('email').notNullable().unique()
    t.string('name').notNullable()
    t.boolean('active').notNullable()
    t.integer('age').notNullable()
    t.datetime('created_at', { precision: 3 }).nullable()
    t.datetime('updated_at', { precision: 3 }).nullable()
  })
}

type Way = 'insert' | 'batched' | 'per-row' | 'raw'

async function run(db: Database, way: Way): Promise<number> {
  await db.table('bench_factory_users').delete()
  Factory.seed(1)
  if (way === 'raw') return timed(async () => UserFactory.count(ROWS).raw())
  if (way === 'insert') {
    const rows = UserFactory.count(ROWS).raw()
    return timed(() => User.insert(rows))
  }
  if (way === 'batched') return timed(() => UserFactory.count(ROWS).create())
  const off = User.on('created', () => {})
  try {
    return await timed(() => UserFactory.count(ROWS).create())
  } finally {
    off()
  }
}

const dialects = args.length ? args : Object.keys(urls)
for (const name of dialects) {
  const url = urls[name]
  if (!url) throw new Error(`unknown dialect ${name}; one of ${Object.keys(urls).join(', ')}`)
  const db = await connect(url)
  try {
    await prepare(db)
    const ways: Way[] = ['insert', 'batched', 'per-row', 'raw']
    for (const way of ways) await run(db, way) // warm-up
    const times: Record<Way, number[]> = { insert: [], batched: [], 'per-row': [], raw: [] }
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 ? [...ways].reverse() : ways
      for (const way of order) times[way].push(await run(db, way))
    }
    const insert = median(times.insert)
    console.log(`\n### ${name}: ${ROWS} users (median of ${ROUNDS} rounds)\n`)
    console.log('| way | time | ratio to insert |')
    console.log('| --- | ---: | ---: |')
    for (const way of ['insert', 'batched', 'per-row', 'raw'] as const) {
      const t = median(times[way])
      console.log(`| ${way} | ${t.toFixed(0)} ms | ${(t / insert).toFixed(2)}× |`)
    }
    await db.knex.schema.dropTable('bench_factory_users')
  } finally {
    await db.close()
  }
}
rmSync(dir, { recursive: true, force: true })
