// Sequelize 6, idiomatic: Model.init with underscored columns, associations, `include` for eager
// loading, a grouped COUNT over the association for withCount. SQLite goes through the sqlite3
// package (Sequelize's only SQLite driver), the servers through pg and mysql2.
import { DataTypes, type InferAttributes, type InferCreationAttributes, Model, type CreationOptional, Op, Sequelize } from 'sequelize'
import type { Contestant, OpenContestant } from '../harness/contestant.js'

class User extends Model<InferAttributes<User>, InferCreationAttributes<User>> {
  declare id: CreationOptional<number>
  declare name: string
  declare email: string
  declare age: number
  declare active: boolean
  declare posts?: Post[]
}
class Post extends Model<InferAttributes<Post>, InferCreationAttributes<Post>> {
  declare id: CreationOptional<number>
  declare userId: number
  declare title: string
  declare comments?: Comment[]
}
class Comment extends Model<InferAttributes<Comment>, InferCreationAttributes<Comment>> {
  declare id: CreationOptional<number>
  declare postId: number
  declare body: string
}
class NewUser extends Model<InferAttributes<NewUser>, InferCreationAttributes<NewUser>> {
  declare id: CreationOptional<number>
  declare name: string
  declare email: string
  declare age: number
  declare active: boolean
}

const userColumns = {
  id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
  name: { type: DataTypes.STRING(100), allowNull: false },
  email: { type: DataTypes.STRING(100), allowNull: false },
  age: { type: DataTypes.INTEGER, allowNull: false },
  active: { type: DataTypes.BOOLEAN, allowNull: false },
}

function connect(target: Parameters<OpenContestant>[0]): Sequelize {
  const common = { logging: false as const, pool: { max: 4, min: 0 } }
  if (target.dialect === 'sqlite') return new Sequelize({ ...common, dialect: 'sqlite', storage: target.filename! })
  return new Sequelize(target.url, { ...common, dialect: target.dialect })
}

const open: OpenContestant = async (target) => {
  const sequelize = connect(target)
  const options = { sequelize, underscored: true, timestamps: false }
  User.init(userColumns, { ...options, tableName: 'users' })
  NewUser.init(userColumns, { ...options, tableName: 'new_users' })
  Post.init({
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    userId: { type: DataTypes.INTEGER, allowNull: false },
    title: { type: DataTypes.STRING(100), allowNull: false },
  }, { ...options, tableName: 'posts' })
  Comment.init({
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    postId: { type: DataTypes.INTEGER, allowNull: false },
    body: { type: DataTypes.STRING(100), allowNull: false },
  }, { ...options, tableName: 'comments' })
  User.hasMany(Post, { as: 'posts', foreignKey: 'userId' })
  Post.hasMany(Comment, { as: 'comments', foreignKey: 'postId' })
  await sequelize.authenticate()

  const contestant: Contestant = {
    workloads: {
      async bulkInsert(rows) {
        await NewUser.bulkCreate(rows.map((r) => ({ ...r })))
      },
      async singleInserts(rows) {
        let sum = 0
        for (const row of rows) sum += (await NewUser.create({ ...row })).id
        return sum
      },
      async loadModels() {
        let sum = 0
        for (const user of await User.findAll()) sum += user.age
        return sum
      },
      async findByKey(ids) {
        let sum = 0
        for (const id of ids) sum += (await User.findByPk(id))!.age
        return sum
      },
      async eagerLoad(maxUserId) {
        const users = await User.findAll({
          where: { id: { [Op.lte]: maxUserId } },
          include: [{ model: Post, as: 'posts', include: [{ model: Comment, as: 'comments' }] }],
        })
        let reached = 0
        for (const user of users) for (const post of user.posts!) reached += post.comments!.length
        return reached
      },
      async paginate(page, perPage, times) {
        let sum = 0
        for (let i = 0; i < times; i++) {
          const { rows, count } = await User.findAndCountAll({ order: [['id', 'ASC']], limit: perPage, offset: (page - 1) * perPage })
          sum += rows.length + count
        }
        return sum
      },
      async updates(ids, tag) {
        for (const id of ids) {
          const user = (await User.findByPk(id))!
          user.name = `${tag}:${id}`
          await user.save()
        }
        return ids.length
      },
      async withCount() {
        const users = await User.findAll({
          attributes: { include: [[sequelize.fn('COUNT', sequelize.col('posts.id')), 'postsCount']] },
          include: [{ model: Post, as: 'posts', attributes: [] }],
          group: ['User.id'],
        })
        let sum = 0
        for (const user of users) sum += 1 + Number(user.get('postsCount'))
        return sum
      },
    },
    unsupported: { stream: 'Sequelize has no streaming or cursor API' },
    close: () => sequelize.close(),
  }
  return contestant
}

export default open
