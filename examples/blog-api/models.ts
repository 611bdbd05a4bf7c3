// The blog's models: users write posts (each with a unique slug and some tags) and comments.
import {
  belongsTo,
  type BelongsTo,
  belongsToMany,
  type BelongsToMany,
  column,
  hasMany,
  type HasMany,
  Model,
  type ModelQuery,
  table,
} from '../../src/index.js'

@table('users')
export class User extends Model {
  @column.primary() declare id: number
  @column() declare email: string
  @column() declare name: string
  @column() declare bio: string | null
  @column.createdAt() declare createdAt: Date
  @column.updatedAt() declare updatedAt: Date

  @hasMany(() => Post, { foreignKey: 'authorId' }) declare posts: HasMany<Post>
  @hasMany(() => Comment, { foreignKey: 'authorId' }) declare comments: HasMany<Comment>

  static fillable = ['email', 'name', 'bio']
}

@table('posts')
export class Post extends Model {
  @column.primary() declare id: number
  @column() declare authorId: number
  @column() declare title: string
  @column.slug({ from: 'title' }) declare slug: string
  @column() declare body: string
  @column.dateTime() declare publishedAt: Date | null
  @column.createdAt() declare createdAt: Date
  @column.updatedAt() declare updatedAt: Date

  @belongsTo(() => User, { foreignKey: 'authorId' }) declare author: BelongsTo<User>
  @hasMany(() => Comment) declare comments: HasMany<Comment>
  @belongsToMany(() => Tag, { pivotTable: 'post_tag' }) declare tags: BelongsToMany<Tag>

  static fillable = ['authorId', 'title', 'body', 'publishedAt']
  static scopes = {
    published: (q: ModelQuery<Post>) => q.whereNotNull('publishedAt'),
  }
}

@table('comments')
export class Comment extends Model {
  @column.primary() declare id: number
  @column() declare postId: number
  @column() declare authorId: number
  @column() declare body: string
  @column.createdAt() declare createdAt: Date
  @column.updatedAt() declare updatedAt: Date

  @belongsTo(() => Post) declare post: BelongsTo<Post>
  @belongsTo(() => User, { foreignKey: 'authorId' }) declare author: BelongsTo<User>

  static fillable = ['postId', 'authorId', 'body']
}

@table('tags')
export class Tag extends Model {
  @column.primary() declare id: number
  @column() declare name: string

  @belongsToMany(() => Post, { pivotTable: 'post_tag' }) declare posts: BelongsToMany<Post>

  static fillable = ['name']
}
