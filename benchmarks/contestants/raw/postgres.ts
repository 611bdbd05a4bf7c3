// pg directly: a pool, named prepared statements for the shapes that repeat, `= any($1)` for the
// eager levels, and pg-cursor (a benchmarks/ dependency) for streaming.
import pg from 'pg'
import { linkEager } from '../link-eager.js'
import type { BenchTarget, Contestant, NewUserRow } from '../../harness/contestant.js'

interface UserRow { id: number; age: number }
interface PostRow { id: number; user_id: number; comments?: unknown[] }
interface CommentRow { post_id: number }
interface Cursor<R> { read(rows: number): Promise<R[]>; close(): Promise<void> }
type CursorClass = new <R>(text: string, values?: unknown[]) => Cursor<R> & pg.Submittable

const INSERT = 'insert into new_users (name, email, age, active) values ($1, $2, $3, $4) returning id'

function multiRowInsert(rows: readonly NewUserRow[]) {
  const values: unknown[] = []
  const tuples = rows.map((r, i) => {
    values.push(r.name, r.email, r.age, r.active)
    return `($${i * 4 + 1}, $${i * 4 + 2}, $${i * 4 + 3}, $${i * 4 + 4})`
  })
  return { text: `insert into new_users (name, email, age, active) values ${tuples.join(', ')}`, values }
}

export async function openPostgres(target: BenchTarget): Promise<Contestant> {
  const pool = new pg.Pool({ connectionString: target.url, max: 4 })
  // Loaded by name so the type-check of this folder does not need benchmarks/node_modules.
  const Cursor = ((await import('pg-cursor' as string)) as { default: CursorClass }).default
  const query = <R extends pg.QueryResultRow>(name: string, text: string, values: unknown[] = []) =>
    pool.query<R>({ name, text, values })

  return {
    workloads: {
      async bulkInsert(rows) {
        const perStatement = Math.floor(target.maxBindings / 4)
        for (let i = 0; i < rows.length; i += perStatement) await pool.query(multiRowInsert(rows.slice(i, i + perStatement)))
      },
      async singleInserts(rows) {
        let sum = 0
        for (const r of rows) sum += (await query<{ id: number }>('insert-user', INSERT, [r.name, r.email, r.age, r.active])).rows[0]!.id
        return sum
      },
      async loadModels() {
        let sum = 0
        for (const user of (await pool.query<UserRow>('select * from users')).rows) sum += user.age
        return sum
      },
      async findByKey(ids) {
        let sum = 0
        for (const id of ids) sum += (await query<UserRow>('user-by-id', 'select * from users where id = $1', [id])).rows[0]!.age
        return sum
      },
      async eagerLoad(maxUserId) {
        const users = (await pool.query<UserRow & { posts?: PostRow[] }>('select * from users where id <= $1', [maxUserId])).rows
        const posts = (await pool.query<PostRow>('select * from posts where user_id = any($1)', [users.map((u) => u.id)])).rows
        const comments = (await pool.query<CommentRow>('select * from comments where post_id = any($1)', [posts.map((p) => p.id)])).rows
        return linkEager(users, posts, comments)
      },
      async paginate(page, perPage, times) {
        let sum = 0
        for (let i = 0; i < times; i++) {
          const total = Number((await query<{ total: string }>('count-users', 'select count(*) as total from users')).rows[0]!.total)
          const rows = (await query('users-page', 'select * from users order by id limit $1 offset $2', [perPage, (page - 1) * perPage])).rows
          sum += rows.length + total
        }
        return sum
      },
      async updates(ids, tag) {
        for (const id of ids) {
          const user = (await query<UserRow>('user-by-id', 'select * from users where id = $1', [id])).rows[0]!
          await query('rename-user', 'update users set name = $1 where id = $2', [`${tag}:${id}`, user.id])
        }
        return ids.length
      },
      async withCount() {
        const { rows } = await pool.query<{ posts_count: string }>(
          'select users.*, (select count(*) from posts where posts.user_id = users.id) as posts_count from users',
        )
        let sum = 0
        for (const u of rows) sum += 1 + Number(u.posts_count)
        return sum
      },
      async stream(sink) {
        const client = await pool.connect()
        try {
          const cursor = client.query(new Cursor<{ value: number }>('select * from readings order by id'))
          for (let rows = await cursor.read(1_000); rows.length; rows = await cursor.read(1_000)) {
            for (const row of rows) sink(row.value)
          }
          await cursor.close()
        } finally {
          client.release()
        }
      },
    },
    close: () => pool.end(),
  }
}
