// better-sqlite3 directly: every statement prepared once and reused; synchronous calls.
import Database from 'better-sqlite3'
import { linkEager } from '../link-eager.js'
import type { BenchTarget, Contestant } from '../../harness/contestant.js'

interface UserRow { id: number; age: number }
interface PostRow { id: number; user_id: number; comments?: unknown[] }
interface CommentRow { post_id: number }

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ')

export function openSqlite(target: BenchTarget): Contestant {
  const db = new Database(target.filename!)
  const insert = db.prepare('insert into new_users (name, email, age, active) values (?, ?, ?, ?)')
  const insertAll = db.transaction((rows: ReadonlyArray<{ name: string; email: string; age: number; active: boolean }>) => {
    for (const r of rows) insert.run(r.name, r.email, r.age, r.active ? 1 : 0)
  })
  const allUsers = db.prepare('select * from users')
  const userById = db.prepare('select * from users where id = ?')
  const usersUpTo = db.prepare('select * from users where id <= ?')
  const countUsers = db.prepare('select count(*) as total from users').pluck()
  const page = db.prepare('select * from users order by id limit ? offset ?')
  const rename = db.prepare('update users set name = ? where id = ?')
  const withCount = db.prepare('select users.*, (select count(*) from posts where posts.user_id = users.id) as posts_count from users')
  const readings = db.prepare('select * from readings order by id')

  return {
    workloads: {
      async bulkInsert(rows) {
        insertAll(rows)
      },
      async singleInserts(rows) {
        let sum = 0
        for (const r of rows) sum += Number(insert.run(r.name, r.email, r.age, r.active ? 1 : 0).lastInsertRowid)
        return sum
      },
      async loadModels() {
        let sum = 0
        for (const user of allUsers.all() as UserRow[]) sum += user.age
        return sum
      },
      async findByKey(ids) {
        let sum = 0
        for (const id of ids) sum += (userById.get(id) as UserRow).age
        return sum
      },
      async eagerLoad(maxUserId) {
        const users = usersUpTo.all(maxUserId) as Array<UserRow & { posts?: PostRow[] }>
        const posts = db.prepare(`select * from posts where user_id in (${placeholders(users.length)})`).all(users.map((u) => u.id)) as PostRow[]
        const comments = db.prepare(`select * from comments where post_id in (${placeholders(posts.length)})`).all(posts.map((p) => p.id)) as CommentRow[]
        return linkEager(users, posts, comments)
      },
      async paginate(pageNumber, perPage, times) {
        let sum = 0
        for (let i = 0; i < times; i++) {
          const total = countUsers.get() as number
          sum += page.all(perPage, (pageNumber - 1) * perPage).length + total
        }
        return sum
      },
      async updates(ids, tag) {
        for (const id of ids) {
          const user = userById.get(id) as UserRow
          rename.run(`${tag}:${id}`, user.id)
        }
        return ids.length
      },
      async withCount() {
        let sum = 0
        for (const u of withCount.all() as Array<{ posts_count: number }>) sum += 1 + u.posts_count
        return sum
      },
      async stream(sink) {
        for (const row of readings.iterate() as IterableIterator<{ value: number }>) sink(row.value)
      },
    },
    close: async () => {
      db.close()
    },
  }
}
