// Objection.js 3, idiomatic: Model classes with relationMappings on the same knex, properties
// named as the columns (Objection's default; knexSnakeCaseMappers would add a per-row cost).
import knexFactory from 'knex'
import { Model, type RelationMappings } from 'objection'
import type { Contestant, OpenContestant } from '../harness/contestant.js'
import { knexConfig } from '../harness/targets.js'

class Comment extends Model {
  static override tableName = 'comments'
  declare id: number
  declare post_id: number
  declare body: string
}

class Post extends Model {
  static override tableName = 'posts'
  declare id: number
  declare user_id: number
  declare title: string
  declare comments?: Comment[]
  static override get relationMappings(): RelationMappings {
    return { comments: { relation: Model.HasManyRelation, modelClass: Comment, join: { from: 'posts.id', to: 'comments.post_id' } } }
  }
}

class User extends Model {
  static override tableName = 'users'
  declare id: number
  declare name: string
  declare email: string
  declare age: number
  declare active: boolean
  declare posts?: Post[]
  declare postsCount?: number | string
  static override get relationMappings(): RelationMappings {
    return { posts: { relation: Model.HasManyRelation, modelClass: Post, join: { from: 'users.id', to: 'posts.user_id' } } }
  }
}

class NewUser extends Model {
  static override tableName = 'new_users'
  declare id: number
  declare name: string
  declare email: string
  declare age: number
  declare active: boolean
}

const open: OpenContestant = async (target) => {
  const knex = knexFactory(knexConfig(target))
  Model.knex(knex)
  const batchInsert = target.dialect === 'postgres'
  const contestant: Contestant = {
    workloads: {
      ...(batchInsert
        ? {
            async bulkInsert(rows) {
              await NewUser.query().insert(rows.map((r) => ({ ...r })))
            },
          }
        : {}),
      async singleInserts(rows) {
        let sum = 0
        for (const row of rows) sum += (await NewUser.query().insert({ ...row })).id
        return sum
      },
      async loadModels() {
        let sum = 0
        for (const user of await User.query()) sum += user.age
        return sum
      },
      async findByKey(ids) {
        let sum = 0
        for (const id of ids) sum += (await User.query().findById(id))!.age
        return sum
      },
      async eagerLoad(maxUserId) {
        const users = await User.query().where('id', '<=', maxUserId).withGraphFetched('posts.comments')
        let reached = 0
        for (const user of users) for (const post of user.posts!) reached += post.comments!.length
        return reached
      },
      async paginate(page, perPage, times) {
        let sum = 0
        for (let i = 0; i < times; i++) {
          const result = await User.query().orderBy('id').page(page - 1, perPage)
          sum += result.results.length + result.total
        }
        return sum
      },
      async updates(ids, tag) {
        for (const id of ids) {
          const user = (await User.query().findById(id))!
          await user.$query().patch({ name: `${tag}:${id}` })
        }
        return ids.length
      },
      async withCount() {
        const users = await User.query().select('users.*', User.relatedQuery('posts').count().as('postsCount'))
        let sum = 0
        for (const user of users) sum += 1 + Number(user.postsCount)
        return sum
      },
    },
    unsupported: {
      ...(batchInsert ? {} : { bulkInsert: 'Objection’s batch insert (`insert([...])`) works on PostgreSQL only' }),
      stream: 'Objection has no streaming API for models (only knex’s, which yields plain rows)',
    },
    close: () => knex.destroy(),
  }
  return contestant
}

export default open
