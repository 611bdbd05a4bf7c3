// Models for the relation tests, and their tables (made with knex's schema builder directly).
import type { Knex } from 'knex'
import {
  belongsTo,
  type BelongsTo,
  belongsToMany,
  type BelongsToMany,
  column,
  type Database,
  hasMany,
  type HasMany,
  hasManyThrough,
  type HasManyThrough,
  hasOne,
  type HasOne,
  hasOneThrough,
  type HasOneThrough,
  Model,
  morphedByMany,
  type MorphedByMany,
  morphMany,
  type MorphMany,
  morphOne,
  type MorphOne,
  morphTo,
  type MorphTo,
  morphToMany,
  type MorphToMany,
  table,
} from '../../src/index.js'

@table('countries')
export class Country extends Model {
  @column.primary() declare id: number
  @column() declare name: string
  @hasMany(() => User) declare users: HasMany<User>
  @hasManyThrough(() => Post, () => User, { throughForeignKey: 'authorId' }) declare posts: HasManyThrough<Post>
  @morphOne(() => Image, 'imageable') declare flag: MorphOne<Image>
}

@table('users')
export class User extends Model {
  @column.primary() declare id: number
  @column() declare countryId: number | null
  @column() declare mentorId: number | null
  @column() declare name: string
  @column.createdAt() declare createdAt: Date
  @column.updatedAt() declare updatedAt: Date
  @column.deletedAt() declare deletedAt: Date | null

  @hasMany(() => Post, { foreignKey: 'authorId', onDelete: 'cascade' }) declare posts: HasMany<Post>
  @hasOne(() => Profile, { onDelete: 'cascade' }) declare profile: HasOne<Profile>
  @belongsTo(() => User) declare mentor: BelongsTo<User>
  @hasMany(() => User, { foreignKey: 'mentorId' }) declare mentees: HasMany<User>
  @belongsTo(() => Country) declare country: BelongsTo<Country>
  @belongsToMany(() => Role, { pivotColumns: ['grantedBy'], pivotTimestamps: true, onDelete: 'cascade' })
  declare roles: BelongsToMany<Role>
  @morphOne(() => Image, 'imageable', { onDelete: 'cascade' }) declare avatar: MorphOne<Image>
  @hasMany(() => Comment, { foreignKey: 'userId' }) declare comments: HasMany<Comment>

  static fillable = ['name', 'countryId', 'mentorId']
}

@table('profiles')
export class Profile extends Model {
  @column.primary() declare id: number
  @column() declare userId: number
  @column() declare bio: string
  @belongsTo(() => User, { touches: true }) declare user: BelongsTo<User>

  static fillable = ['bio']
}

@table('posts')
export class Post extends Model {
  @column.primary({ type: 'uuid' }) declare id: string
  @column() declare authorId: number
  @column() declare title: string
  @column.boolean() declare published: boolean
  @column() declare views: number
  @column.createdAt() declare createdAt: Date
  @column.updatedAt() declare updatedAt: Date
  @column.deletedAt() declare deletedAt: Date | null

  @belongsTo(() => User, { foreignKey: 'authorId', touches: true }) declare author: BelongsTo<User>
  @morphMany(() => Comment, 'commentable', { onDelete: 'cascade' }) declare comments: MorphMany<Comment>
  @morphToMany(() => Tag, 'taggable') declare tags: MorphToMany<Tag>

  static fillable = ['title', 'published', 'views', 'authorId']
}

@table('videos')
export class Video extends Model {
  @column.primary({ type: 'uuid' }) declare id: string
  @column() declare title: string
  @morphMany(() => Comment, 'commentable') declare comments: MorphMany<Comment>
  @morphToMany(() => Tag, 'taggable') declare tags: MorphToMany<Tag>

  static fillable = ['title']
}

@table('comments')
export class Comment extends Model {
  @column.primary() declare id: number
  @column() declare commentableType: string | null
  @column() declare commentableId: string | null
  @column() declare userId: number | null
  @column() declare body: string
  @column() declare votes: number
  @column.createdAt() declare createdAt: Date
  @column.updatedAt() declare updatedAt: Date
  @column.deletedAt() declare deletedAt: Date | null
  @morphTo() declare commentable: MorphTo<Post | Video>
  @belongsTo(() => User, { foreignKey: 'userId' }) declare author: BelongsTo<User>

  static fillable = ['body', 'votes', 'userId']
}

@table('images')
export class Image extends Model {
  @column.primary() declare id: number
  @column() declare imageableType: string | null
  @column() declare imageableId: number | null
  @column() declare url: string
  @morphTo({ touches: true }) declare imageable: MorphTo<User | Country>

  static fillable = ['url']
}

@table('tags')
export class Tag extends Model {
  @column.primary() declare id: number
  @column() declare name: string
  @morphedByMany(() => Post, 'taggable') declare posts: MorphedByMany<Post>
  @morphedByMany(() => Video, 'taggable') declare videos: MorphedByMany<Video>

  static fillable = ['name']
}

@table('mechanics')
export class Mechanic extends Model {
  @column.primary() declare id: number
  @column() declare name: string
  @hasOneThrough(() => CarOwner, () => Car) declare carOwner: HasOneThrough<CarOwner>
  @hasMany(() => Car) declare cars: HasMany<Car>
}

@table('cars')
export class Car extends Model {
  @column.primary() declare id: number
  @column() declare mechanicId: number
  @column() declare model: string
  @column.deletedAt() declare deletedAt: Date | null
}

@table('car_owners')
export class CarOwner extends Model {
  @column.primary() declare id: number
  @column() declare carId: number
  @column() declare name: string
}

// Posts and videos are stored by name; users and countries by their table names.
Model.morphMap({ post: Post, video: Video })

@table('roles')
export class Role extends Model {
  @column.primary() declare id: number
  @column() declare name: string
  @belongsToMany(() => User, { pivotColumns: ['grantedBy'] }) declare users: BelongsToMany<User>

  static fillable = ['name']
}

/** The tables of the models above, on a fresh database. */
export async function createSchema(db: Database): Promise<void> {
  const create = (name: string, fn: (t: Knex.CreateTableBuilder) => void) => db.knex.schema.createTable(name, fn)
  const stamps = (t: Knex.CreateTableBuilder, soft = false) => {
    t.datetime('created_at', { precision: 3 }).nullable()
    t.datetime('updated_at', { precision: 3 }).nullable()
    if (soft) t.datetime('deleted_at', { precision: 3 }).nullable()
  }
  await create('countries', (t) => {
    t.increments('id')
    t.string('name').notNullable()
  })
  await create('users', (t) => {
    t.increments('id')
    t.integer('country_id').nullable()
    t.integer('mentor_id').nullable()
    t.string('name').notNullable()
    stamps(t, true)
  })
  await create('profiles', (t) => {
    t.increments('id')
    t.integer('user_id').notNullable()
    t.string('bio').notNullable()
  })
  await create('posts', (t) => {
    t.uuid('id').primary()
    t.integer('author_id').notNullable()
    t.string('title').notNullable()
    t.boolean('published').notNullable().defaultTo(false)
    t.integer('views').notNullable().defaultTo(0)
    stamps(t, true)
  })
  await create('videos', (t) => {
    t.uuid('id').primary()
    t.string('title').notNullable()
  })
  await create('comments', (t) => {
    t.increments('id')
    t.string('commentable_type').nullable()
    t.uuid('commentable_id').nullable()
    t.integer('user_id').nullable()
    t.string('body').notNullable()
    t.integer('votes').notNullable().defaultTo(0)
    stamps(t, true)
  })
  await create('images', (t) => {
    t.increments('id')
    t.string('imageable_type').nullable()
    t.integer('imageable_id').nullable()
    t.string('url').notNullable()
  })
  await create('tags', (t) => {
    t.increments('id')
    t.string('name').notNullable()
  })
  await create('taggables', (t) => {
    t.integer('tag_id').notNullable()
    t.string('taggable_type').notNullable()
    t.uuid('taggable_id').notNullable()
  })
  await create('mechanics', (t) => {
    t.increments('id')
    t.string('name').notNullable()
  })
  await create('cars', (t) => {
    t.increments('id')
    t.integer('mechanic_id').notNullable()
    t.string('model').notNullable()
    t.datetime('deleted_at', { precision: 3 }).nullable()
  })
  await create('car_owners', (t) => {
    t.increments('id')
    t.integer('car_id').notNullable()
    t.string('name').notNullable()
  })
  await create('roles', (t) => {
    t.increments('id')
    t.string('name').notNullable()
  })
  await create('role_user', (t) => {
    t.integer('user_id').notNullable()
    t.integer('role_id').notNullable()
    t.integer('granted_by').nullable()
    stamps(t)
    t.primary(['user_id', 'role_id'])
  })
}

/** Empties every table between tests. */
export async function truncateAll(db: Database): Promise<void> {
  for (const name of [
    'countries', 'users', 'profiles', 'posts', 'videos', 'comments', 'images', 'tags', 'taggables', 'mechanics', 'cars', 'car_owners', 'roles', 'role_user',
  ]) await db.knex(name).delete()
}

/** Records the SQL sent while `fn` runs. */
export async function recording<T>(db: Database, fn: () => Promise<T>): Promise<{ result: T; queries: Array<{ sql: string; bindings: readonly unknown[] }> }> {
  const queries: Array<{ sql: string; bindings: readonly unknown[] }> = []
  const off = db.on('query', (e) => queries.push({ sql: e.sql, bindings: e.bindings }))
  try {
    const result = await fn()
    return { result, queries }
  } finally {
    off()
  }
}
