// What eager loading costs: `User.query().with('posts.comments')` over 500 users × 10 posts × 3
// comments on SQLite (a file database), against the same done by hand with knex (one whereIn
// query per level, grouped in JS with Maps, as benchmarks/contestants/knex.ts does), and
// `withCount('posts')` on 10,000 users and `Model.loadMissing` on 1,000 models against their
// knex equivalents. Two ways, medians of process CPU time (less disturbed than wall time by
// other work on the machine) and of wall time:
// - in one process, interleaved rounds with the order alternating, no forced gc();
// - `--isolated`: each contestant in child processes of its own, alternating, with gc() before
//   every run (as benchmarks/harness does); the medians of the children's medians.
// The eager workload has a third contestant, `models`: the same three queries through Quarry
// without relations (no matching), to tell what relations cost from what models cost.
//   node --expose-gc --import ./scripts/register-ts.js benchmarks/eager-cost.ts [rounds] [--isolated]
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Knex } from 'knex'
import { column, connect, type Database, hasMany, type HasMany, Model, table } from '../src/index.js'

const args = process.argv.slice(2)
const ROUNDS = Number(args.find((a) => /^\d+$/.test(a)) ?? 30)
const ISOLATED = args.includes('--isolated')
/** In a child: `--child=<database file>|<workload index>|<contestant>`. */
const CHILD = args.find((a) => a.startsWith('--child='))?.slice('--child='.length).split('|')

@table('users')
class User extends Model {
  @column.primary() declare id: number
  @column() declare name: string
  @column() declare email: string
  @column() declare age: number
  @column.boolean() declare active: boolean
  @hasMany(() => Post) declare posts: HasMany<Post>
}

@table('posts')
class Post extends Model {
  @column.primary() declare id: number
  @column() declare userId: number
  @column() declare title: string
  @hasMany(() => Comment) declare comments: HasMany<Comment>
}

@table('comments')
class Comment extends Model {
  @column.primary() declare id: number
  @column() declare postId: number
  @column() declare body: string
}

interface Row { id: number; [key: string]: unknown }

function groupBy<T extends Row>(rows: readonly T[], key: string): Map<unknown, T[]> {
  const groups = new Map<unknown, T[]>()
  for (const row of rows) {
    const k = row[key]
    const list = groups.get(k)
    if (list) list.push(row)
    else groups.set(k, [row])
  }
  return groups
}

/** Fills a fresh database: 10,000 users; the first 500 with 10 posts of 3 comments, the others 0–3 posts. */
async function seed(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.increments('id')
    t.string('name')
    t.string('email')
    t.integer('age')
    t.boolean('active')
  })
  await knex.schema.createTable('posts', (t) => {
    t.increments('id')
    t.integer('user_id').index()
    t.string('title')
  })
  await knex.schema.createTable('comments', (t) => {
    t.increments('id')
    t.integer('post_id').index()
    t.string('body')
  })
  const users = Array.from({ length: 10_000 }, (_, i) => ({ name: `user ${i}`, email: `u${i}@example.com`, age: 20 + (i % 50), active: i % 3 !== 0 }))
  await User.insert(users)
  // The first 500 users have 10 posts with 3 comments each; every user has some posts for withCount.
  const posts: Array<{ userId: number; title: string }> = []
  for (let u = 1; u <= 10_000; u++) for (let p = 0; p < (u <= 500 ? 10 : u % 4); p++) posts.push({ userId: u, title: `post ${p}` })
  await Post.insert(posts)
  const eagerPosts = (await knex('posts').where('user_id', '<=', 500).select('id')) as Row[]
  await Comment.insert(eagerPosts.flatMap((p) => [0, 1, 2].map((c) => ({ postId: p.id, body: `comment ${c}` }))))
}

function workloadsOn(db: Database, knex: Knex, count: () => void): Record<string, Record<string, () => Promise<number>>> {
  db.on('query', count)
  return {
    "with('posts.comments'), 500 × 10 × 3": {
      quarry: async () => {
        let reached = 0
        for (const user of await User.query().where('id', '<=', 500).with('posts.comments')) for (const post of user.posts) reached += post.comments.length
        return reached
      },
      // The same three queries through Quarry without relations: what hydrating the rows into models costs.
      models: async () => {
        const us = await User.query().where('id', '<=', 500)
        const ps = await Post.query().whereIn('userId', us.map((u) => u.id))
        const cs = await Comment.query().whereIn('postId', ps.map((p) => p.id))
        return cs.length
      },
      knex: async () => {
        const us = (await knex('users').where('id', '<=', 500)) as Array<Row & { posts?: Row[] }>
        const ps = (await knex('posts').whereIn('user_id', us.map((u) => u.id))) as Array<Row & { comments?: Row[] }>
        const cs = (await knex('comments').whereIn('post_id', ps.map((p) => p.id))) as Row[]
        const byPost = groupBy(cs, 'post_id')
        for (const p of ps) p.comments = byPost.get(p.id) ?? []
        const byUser = groupBy(ps, 'user_id')
        for (const u of us) u.posts = byUser.get(u.id) ?? []
        let reached = 0
        for (const u of us) for (const p of u.posts as unknown as Array<{ comments: Row[] }>) reached += p.comments.length
        return reached
      },
    },
    "withCount('posts'), 10,000 users": {
      quarry: async () => {
        let sum = 0
        for (const user of await User.query().withCount('posts')) sum += 1 + (user.$extras.postsCount as number)
        return sum
      },
      knex: async () => {
        const count = knex('posts').count('*').where('posts.user_id', knex.ref('users.id')).as('posts_count')
        let sum = 0
        for (const user of (await knex('users').select('users.*', count)) as Array<Row & { posts_count: number }>) sum += 1 + Number(user.posts_count)
        return sum
      },
    },
    "Model.loadMissing(1,000 users, 'posts')": {
      quarry: async () => {
        const loaded = await User.query().where('id', '<=', 1000)
        await Model.loadMissing(loaded, 'posts')
        let sum = 0
        for (const user of loaded) sum += user.posts.length
        return sum
      },
      knex: async () => {
        const us = (await knex('users').where('id', '<=', 1000)) as Array<Row & { posts?: Row[] }>
        const byUser = groupBy((await knex('posts').whereIn('user_id', us.map((u) => u.id))) as Row[], 'user_id')
        let sum = 0
        for (const u of us) sum += (u.posts = byUser.get(u.id) ?? []).length
        return sum
      },
    },
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/** Times `run` once: process CPU milliseconds and wall milliseconds. */
async function timed(run: () => Promise<number>): Promise<{ cpu: number; wall: number }> {
  const cpu = process.cpuUsage()
  const start = performance.now()
  await run()
  const wall = performance.now() - start
  const used = process.cpuUsage(cpu)
  return { cpu: (used.user + used.system) / 1000, wall }
}

function line(name: string, cpu: number, wall: number, base: { cpu: number; wall: number }, queries: number | string): string {
  return `  ${name.padEnd(7)} cpu ${cpu.toFixed(2).padStart(7)} ms ${(cpu / base.cpu).toFixed(2)}×   wall ${wall.toFixed(2).padStart(7)} ms ${(wall / base.wall).toFixed(2)}×   ${queries} queries`
}

if (CHILD) {
  // One contestant of one workload, `ROUNDS` runs with a full collection before each.
  const [file, index, name] = CHILD as [string, string, string]
  const db = await connect(`sqlite:${file}`)
  let queries = 0
  const workload = Object.values(workloadsOn(db, db.knex, () => void queries++))[Number(index)]!
  const run = workload[name]!
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) throw new Error('run with --expose-gc')
  for (let i = 0; i < 3; i++) await run()
  const cpu: number[] = []
  const wall: number[] = []
  for (let i = 0; i < ROUNDS; i++) {
    gc()
    queries = 0
    const t = await timed(run)
    cpu.push(t.cpu)
    wall.push(t.wall)
  }
  console.log(JSON.stringify({ cpu: median(cpu), wall: median(wall), queries }))
  await db.close()
} else {
  const dir = mkdtempSync(join(tmpdir(), 'quarry-eager-cost-'))
  const file = join(dir, 'bench.db')
  const db = await connect(`sqlite:${file}`)
  const knex: Knex = db.knex
  try {
    await seed(knex)
    let queries = 0
    const workloads = workloadsOn(db, knex, () => void queries++)
    let index = 0
    for (const [title, contestants] of Object.entries(workloads)) {
      const results = new Set<number>()
      for (const run of Object.values(contestants)) for (let i = 0; i < 3; i++) results.add(await run())
      if (results.size !== 1) throw new Error(`${title}: the contestants disagree: ${[...results].join(' vs ')}`)
      const names = Object.keys(contestants)
      const cpu: Record<string, number[]> = Object.fromEntries(names.map((k) => [k, []]))
      const wall: Record<string, number[]> = Object.fromEntries(names.map((k) => [k, []]))
      const counts: Record<string, number> = {}
      if (ISOLATED) {
        const script = fileURLToPath(import.meta.url)
        for (let round = 0; round < 5; round++) {
          for (const name of round % 2 ? names : [...names].reverse()) {
            const out = execFileSync(process.execPath, ['--expose-gc', ...process.execArgv.filter((a) => a !== '--expose-gc'), script, String(ROUNDS), `--child=${file}|${index}|${name}`], { encoding: 'utf8' })
            const measured = JSON.parse(out.trim().split('\n').pop()!) as { cpu: number; wall: number; queries: number }
            cpu[name]!.push(measured.cpu)
            wall[name]!.push(measured.wall)
            counts[name] = measured.queries
          }
        }
      } else {
        for (let round = 0; round < ROUNDS; round++) {
          for (const name of round % 2 ? names : [...names].reverse()) {
            queries = 0
            const t = await timed(contestants[name]!)
            cpu[name]!.push(t.cpu)
            wall[name]!.push(t.wall)
            counts[name] = queries
          }
        }
      }
      const base = { cpu: median(cpu.knex!), wall: median(wall.knex!) }
      console.log(`\n${title} (${ISOLATED ? `5 × 2 child processes of ${ROUNDS} runs, gc() before each` : `${ROUNDS} interleaved rounds in one process`}; result ${[...results][0]})`)
      for (const name of names) console.log(line(name, median(cpu[name]!), median(wall[name]!), base, counts[name]!))
      index++
    }
  } finally {
    await db.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
