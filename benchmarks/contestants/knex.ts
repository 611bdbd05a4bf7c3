// knex returning plain rows: the baseline every ratio is taken against. Eager loading is written
// by hand as a user of knex would: one whereIn query per level, grouped into the parents in JS.
import knexFactory from 'knex'
import type { Contestant, OpenContestant } from '../harness/contestant.js'
import { knexConfig } from '../harness/targets.js'
import { linkEager } from './link-eager.js'

interface UserRow { id: number; name: string; email: string; age: number; active: boolean | number }
interface PostRow { id: number; user_id: number; title: string; comments?: CommentRow[] }
interface CommentRow { id: number; post_id: number; body: string }

/** Groups children under their parent key. */
const open: OpenContestant = async (target) => {
  const knex = knexFactory(knexConfig(target))
  const returning = target.dialect === 'postgres'
  const contestant: Contestant = {
    workloads: {
      async bulkInsert(rows) {
        // 500 rows a statement: the most knex can send to SQLite (it compiles one `union all` term per row).
        await knex.batchInsert('new_users', [...rows], 500)
      },
      async singleInserts(rows) {
        let sum = 0
        for (const row of rows) {
          if (returning) {
            const [inserted] = (await knex('new_users').insert(row, ['id'])) as Array<{ id: number }>
            sum += inserted!.id
          } else {
            const [id] = (await knex('new_users').insert(row)) as number[]
            sum += id!
          }
        }
        return sum
      },
      async loadModels() {
        const users = await knex<UserRow>('users')
        let sum = 0
        for (const user of users) sum += user.age
        return sum
      },
      async findByKey(ids) {
        let sum = 0
        for (const id of ids) sum += (await knex<UserRow>('users').where('id', id).first())!.age
        return sum
      },
      async eagerLoad(maxUserId) {
        const users = (await knex<UserRow>('users').where('id', '<=', maxUserId)) as Array<UserRow & { posts?: PostRow[] }>
        const posts = await knex<PostRow>('posts').whereIn('user_id', users.map((u) => u.id))
        const comments = await knex<CommentRow>('comments').whereIn('post_id', posts.map((p) => p.id))
        return linkEager(users, posts, comments)
      },
      async paginate(page, perPage, times) {
        let sum = 0
        for (let i = 0; i < times; i++) {
          const [{ total }] = (await knex('users').count({ total: '*' })) as Array<{ total: number | string }>
          const rows = await knex<UserRow>('users').orderBy('id').limit(perPage).offset((page - 1) * perPage)
          sum += rows.length + Number(total)
        }
        return sum
      },
      async updates(ids, tag) {
        for (const id of ids) {
          const user = (await knex<UserRow>('users').where('id', id).first())!
          await knex('users').where('id', user.id).update({ name: `${tag}:${id}` })
        }
        return ids.length
      },
      async withCount() {
        const postsCount = knex('posts').count('*').where('posts.user_id', knex.ref('users.id')).as('posts_count')
        const users = (await knex('users').select('users.*', postsCount)) as Array<UserRow & { posts_count: number | string }>
        let sum = 0
        for (const user of users) sum += 1 + Number(user.posts_count)
        return sum
      },
      async stream(sink) {
        for await (const row of knex('readings').orderBy('id').stream()) sink((row as { value: number }).value)
      },
    },
    close: () => knex.destroy(),
  }
  return contestant
}

export default open
