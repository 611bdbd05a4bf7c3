// Quarry, written against the public API (shared API.md) as a user would write it.
import 'reflect-metadata'
import { column, connect, type HasMany, hasMany, Model, table } from '../../src/index.js'
import type { Contestant, OpenContestant } from '../harness/contestant.js'

@table('users')
class User extends Model {
  @column.primary() declare id: number
  @column() declare name: string
  @column() declare email: string
  @column() declare age: number
  @column.boolean() declare active: boolean
  @hasMany(() => Post, { foreignKey: 'userId' }) declare posts: HasMany<Post>
}

@table('posts')
class Post extends Model {
  @column.primary() declare id: number
  @column() declare userId: number
  @column() declare title: string
  @hasMany(() => Comment, { foreignKey: 'postId' }) declare comments: HasMany<Comment>
}

@table('comments')
class Comment extends Model {
  @column.primary() declare id: number
  @column() declare postId: number
  @column() declare body: string
}

@table('new_users')
class NewUser extends Model {
  @column.primary() declare id: number
  @column() declare name: string
  @column() declare email: string
  @column() declare age: number
  @column.boolean() declare active: boolean
}

@table('readings')
class Reading extends Model {
  @column.primary() declare id: number
  @column() declare sensor: number
  @column() declare value: number
  @column() declare label: string
}

const open: OpenContestant = async (target) => {
  const db = await connect(target.url)
  const contestant: Contestant = {
    workloads: {
      async bulkInsert(rows) {
        await NewUser.insert(rows)
      },
      async singleInserts(rows) {
        let sum = 0
        for (const row of rows) sum += (await NewUser.create(row)).id
        return sum
      },
      async loadModels() {
        let sum = 0
        for (const user of await User.all()) sum += user.age
        return sum
      },
      async findByKey(ids) {
        let sum = 0
        for (const id of ids) sum += (await User.find(id))!.age
        return sum
      },
      async eagerLoad(maxUserId) {
        const users = await User.query().where('id', '<=', maxUserId).with('posts.comments')
        let reached = 0
        for (const user of users) for (const post of user.posts) reached += post.comments.length
        return reached
      },
      async paginate(page, perPage, times) {
        let sum = 0
        for (let i = 0; i < times; i++) {
          const result = await User.query().orderBy('id').paginate(page, perPage)
          sum += result.data.length + result.meta.total
        }
        return sum
      },
      async updates(ids, tag) {
        for (const id of ids) {
          const user = (await User.find(id))!
          user.name = `${tag}:${id}`
          await user.save()
        }
        return ids.length
      },
      async withCount() {
        const users = await User.query().withCount('posts')
        let sum = 0
        for (const user of users) sum += 1 + (user.$extras.postsCount as number)
        return sum
      },
      async stream(sink) {
        for await (const reading of Reading.query().orderBy('id').cursor()) sink(reading.value)
      },
    },
    close: () => db.close(),
  }
  return contestant
}

export default open
