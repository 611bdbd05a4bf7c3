// mysql2 directly: `execute` (server-side prepared statements, cached per connection) for the
// shapes that repeat, one multi-row `query` for the bulk insert, a row stream for streaming.
import type { Connection as CallbackConnection, ExecuteValues, QueryValues } from 'mysql2'
import mysql from 'mysql2/promise'
import { linkEager } from '../link-eager.js'
import type { BenchTarget, Contestant } from '../../harness/contestant.js'

interface UserRow { id: number; age: number }
interface PostRow { id: number; user_id: number; comments?: unknown[] }
interface CommentRow { post_id: number }

export async function openMysql(target: BenchTarget): Promise<Contestant> {
  const pool = mysql.createPool({ uri: target.url, connectionLimit: 4 })
  const rows = async <R>(sql: string, values: QueryValues = []) => (await pool.query(sql, values))[0] as R[]
  const prepared = async <R>(sql: string, values: ExecuteValues) => (await pool.execute(sql, values))[0] as R[]

  return {
    workloads: {
      async bulkInsert(list) {
        await pool.query('insert into new_users (name, email, age, active) values ?', [list.map((r) => [r.name, r.email, r.age, r.active])])
      },
      async singleInserts(list) {
        let sum = 0
        for (const r of list) {
          const [result] = await pool.execute('insert into new_users (name, email, age, active) values (?, ?, ?, ?)', [r.name, r.email, r.age, r.active])
          sum += (result as mysql.ResultSetHeader).insertId
        }
        return sum
      },
      async loadModels() {
        let sum = 0
        for (const user of await rows<UserRow>('select * from users')) sum += user.age
        return sum
      },
      async findByKey(ids) {
        let sum = 0
        for (const id of ids) sum += (await prepared<UserRow>('select * from users where id = ?', [id]))[0]!.age
        return sum
      },
      async eagerLoad(maxUserId) {
        const users = await rows<UserRow & { posts?: PostRow[] }>('select * from users where id <= ?', [maxUserId])
        const posts = await rows<PostRow>('select * from posts where user_id in (?)', [users.map((u) => u.id)])
        const comments = await rows<CommentRow>('select * from comments where post_id in (?)', [posts.map((p) => p.id)])
        return linkEager(users, posts, comments)
      },
      async paginate(page, perPage, times) {
        let sum = 0
        for (let i = 0; i < times; i++) {
          const [{ total }] = (await prepared<{ total: number }>('select count(*) as total from users', [])) as [{ total: number }]
          const list = await rows('select * from users order by id limit ? offset ?', [perPage, (page - 1) * perPage])
          sum += list.length + Number(total)
        }
        return sum
      },
      async updates(ids, tag) {
        for (const id of ids) {
          const [user] = await prepared<UserRow>('select * from users where id = ?', [id])
          await pool.execute('update users set name = ? where id = ?', [`${tag}:${id}`, user!.id])
        }
        return ids.length
      },
      async withCount() {
        let sum = 0
        const list = await rows<{ posts_count: number }>(
          'select users.*, (select count(*) from posts where posts.user_id = users.id) as posts_count from users',
        )
        for (const u of list) sum += 1 + Number(u.posts_count)
        return sum
      },
      async stream(sink) {
        const connection = await pool.getConnection()
        try {
          // The promise wrapper's `connection` is the callback connection underneath, which streams.
          const core = connection.connection as unknown as CallbackConnection
          const stream = core.query('select * from readings order by id').stream({ highWaterMark: 1_000 })
          for await (const row of stream) sink((row as { value: number }).value)
        } finally {
          connection.release()
        }
      },
    },
    close: () => pool.end(),
  }
}
