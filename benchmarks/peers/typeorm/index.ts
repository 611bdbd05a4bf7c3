// TypeORM 1, idiomatic active record: BaseEntity statics, `relations` for eager loading,
// findAndCount for pages, a @VirtualColumn sub-query for counts, the query builder's stream (raw
// rows) where the driver has one. SQLite through better-sqlite3, the servers through pg and mysql2.
import 'reflect-metadata'
import { DataSource, type DataSourceOptions, LessThanOrEqual } from 'typeorm'
import type { BenchTarget, Contestant, OpenContestant } from '../../harness/contestant.js'
import { Comment, NewUser, Post, Reading, User, UserWithPostsCount } from './entities.js'

const ENTITIES = [User, UserWithPostsCount, Post, Comment, NewUser, Reading]

function options(target: BenchTarget): DataSourceOptions {
  const common = { entities: ENTITIES, synchronize: false, logging: false }
  switch (target.dialect) {
    case 'sqlite': return { ...common, type: 'better-sqlite3', database: target.filename! }
    case 'postgres': return { ...common, type: 'postgres', url: target.url, poolSize: 4 }
    case 'mysql': return { ...common, type: 'mysql', url: target.url, poolSize: 4 }
  }
}

const open: OpenContestant = async (target) => {
  const dataSource = await new DataSource(options(target)).initialize()
  // TypeORM sends one multi-row INSERT per call; keep it under the database's bound-parameter limit.
  const insertChunk = Math.min(1_000, Math.floor(target.maxBindings / 4))
  const contestant: Contestant = {
    workloads: {
      async bulkInsert(rows) {
        for (let i = 0; i < rows.length; i += insertChunk) await NewUser.insert(rows.slice(i, i + insertChunk).map((r) => ({ ...r })))
      },
      async singleInserts(rows) {
        let sum = 0
        for (const row of rows) {
          const user = NewUser.create({ ...row })
          await user.save()
          sum += user.id
        }
        return sum
      },
      async loadModels() {
        let sum = 0
        for (const user of await User.find()) sum += user.age
        return sum
      },
      async findByKey(ids) {
        let sum = 0
        for (const id of ids) sum += (await User.findOneBy({ id }))!.age
        return sum
      },
      async eagerLoad(maxUserId) {
        const users = await User.find({ where: { id: LessThanOrEqual(maxUserId) }, relations: { posts: { comments: true } } })
        let reached = 0
        for (const user of users) for (const post of user.posts) reached += post.comments.length
        return reached
      },
      async paginate(page, perPage, times) {
        let sum = 0
        for (let i = 0; i < times; i++) {
          const [rows, total] = await User.findAndCount({ order: { id: 'ASC' }, skip: (page - 1) * perPage, take: perPage })
          sum += rows.length + total
        }
        return sum
      },
      async updates(ids, tag) {
        for (const id of ids) {
          const user = (await User.findOneBy({ id }))!
          user.name = `${tag}:${id}`
          await user.save()
        }
        return ids.length
      },
      async withCount() {
        let sum = 0
        for (const user of await UserWithPostsCount.find()) sum += 1 + Number(user.postsCount)
        return sum
      },
      ...(target.dialect === 'sqlite'
        ? {}
        : {
            async stream(sink: (value: number) => void) {
              const stream = await Reading.createQueryBuilder('reading').orderBy('reading.id').stream()
              for await (const row of stream) sink(Number((row as { reading_value: number }).reading_value))
            },
          }),
    },
    unsupported: { stream: 'TypeORM’s SQLite drivers cannot stream (`Stream is not supported by sqlite driver`)' },
    close: () => dataSource.destroy(),
  }
  return contestant
}

export default open
