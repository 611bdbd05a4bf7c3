// What eager loading costs: `User.query().with('posts.comments')` over 500 users × 10 posts × 3
// comments on SQLite (a file database), against the same done by hand with knex (one whereIn
// query per level, grouped in JS with Maps, as benchmarks/contestants/knex.ts does), and
// `withCount('posts')` on 10,000 users and `Model.loadMissing` on 1,000 models against their
// knex equivalents. Interleaved rounds (the order alternating), medians of process CPU time (less
// disturbed than wall time by other work on the machine) and of wall time. No forced gc() between
// runs: it empties the young generation, after which whichever run allocates more pays for
// regrowing it, which is not what an application sees.
//   node --import ./scripts/register-ts.js tests/relations/eager-cost.ts [rounds]
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Knex } from 'knex'
import { column, connect, hasMany, type HasMany, Model, table } from '../../src/index.js'

const ROUNDS = Number(process.argv[2] ?? 30)

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

const dir = mkdtempSync(join(tmpdir(), 'quarry-eager-cost-'))
const db = await connect(`sqlite:${join(dir, 'bench.db')}`)
const knex: Knex = db.knex
try {
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

  let queries = 0
  db.on('query', () => void queries++)

  const workloads: Record<string, Record<string, () => Promise<number>>> = {
    "with('posts.comments'), 500 × 10 × 3": {
      quarry: async () => {
        let reached = 0
        for (const user of await User.query().where('id', '<=', 500).with('posts.comments')) for (const post of user.posts) reached += post.comments.length
        return reached
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

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
  for (const [title, contestants] of Object.entries(workloads)) {
    const times: Record<string, number[]> = Object.fromEntries(Object.keys(contestants).map((k) => [k, []]))
    const walls: Record<string, number[]> = Object.fromEntries(Object.keys(contestants).map((k) => [k, []]))
    const counts: Record<string, number> = {}
    const results = new Set<number>()
    for (const run of Object.values(contestants)) for (let i = 0; i < 3; i++) results.add(await run())
    if (results.size !== 1) throw new Error(`${title}: the contestants disagree: ${[...results].join(' vs ')}`)
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 ? Object.entries(contestants) : Object.entries(contestants).reverse()
      for (const [name, run] of order) {
        queries = 0
        const cpu = process.cpuUsage()
        const start = performance.now()
        await run()
        walls[name]!.push(performance.now() - start)
        const used = process.cpuUsage(cpu)
        times[name]!.push((used.user + used.system) / 1000)
        counts[name] = queries
      }
    }
    const base = median(times.knex!)
    const wallBase = median(walls.knex!)
    console.log(`\n${title} (${ROUNDS} rounds, result ${[...results][0]})`)
    for (const [name, list] of Object.entries(times)) {
      const wall = median(walls[name]!)
      console.log(
        `  ${name.padEnd(7)} cpu ${median(list).toFixed(2).padStart(7)} ms ${(median(list) / base).toFixed(2)}×   wall ${wall.toFixed(2).padStart(7)} ms ${(wall / wallBase).toFixed(2)}×   ${counts[name]} queries`,
      )
    }
  }
} finally {
  await db.close()
  rmSync(dir, { recursive: true, force: true })
}
