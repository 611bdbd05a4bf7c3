// The demo's models, declared as an application declares them.
import { column, Model, type ModelQuery, table } from '../src/index.js'

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
}
