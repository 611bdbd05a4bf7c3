// The demo's models, declared as an application declares them.
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
  morphMany,
  type MorphMany,
  morphTo,
  type MorphTo,
  table,
} from '../src/index.js'

@table('users')
export class User extends Model {
  @column.primary() declare id: number
  @column() declare email: string
  @column() declare name: string | null
  @column() declare age: number | null
  @column.boolean() declare active: boolean
  @column.json() declare settings: Record<string, unknown> | null
  @column.createdAt() declare createdAt: Date
  @column.updatedAt() declare updatedAt: Date
  @column.deletedAt() declare deletedAt: Date | null

  @hasMany(() => Post, { foreignKey: 'authorId' }) declare posts: HasMany<Post>
  @belongsToMany(() => Role, { pivotTable: 'role_user', pivotColumns: ['grantedBy'], pivotTimestamps: true })
  declare roles: BelongsToMany<Role>

  static fillable = ['email', 'name', 'age', 'settings']
  static scopes = {
    active: (q: ModelQuery<User>) => q.where('active', true),
    olderThan: (q: ModelQuery<User>, age: number) => q.where('age', '>', age),
  }
}

@table('posts')
export class Post extends Model {
  @column.primary({ type: 'uuid' }) declare id: string
  @column() declare authorId: number
  @column() declare title: string
  @column.slug({ from: 'title' }) declare slug: string
  @column.boolean() declare published: boolean
  @column.version() declare version: number
  @column.createdAt() declare createdAt: Date
  @column.updatedAt() declare updatedAt: Date

  @belongsTo(() => User, { foreignKey: 'authorId' }) declare author: BelongsTo<User>
  @morphMany(() => Comment, 'commentable') declare comments: MorphMany<Comment>
}

@table('roles')
export class Role extends Model {
  @column.primary() declare id: number
  @column() declare name: string
}

@table('comments')
export class Comment extends Model {
  @column.primary() declare id: number
  @column() declare commentableType: string
  @column() declare commentableId: string
  @column() declare body: string
  @column.createdAt() declare createdAt: Date
  @column.updatedAt() declare updatedAt: Date
  @morphTo() declare commentable: MorphTo<Post>
}

Model.morphMap({ post: Post })
