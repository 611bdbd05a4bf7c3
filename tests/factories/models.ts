// Models and factories for the factory tests: one relation of every kind that holds rows, and a
// through relation (which holds none).
import type { Knex } from 'knex'
import {
  belongsTo,
  type BelongsTo,
  belongsToMany,
  type BelongsToMany,
  column,
  type Database,
  defineFactory,
  hasMany,
  type HasMany,
  hasManyThrough,
  type HasManyThrough,
  hasOne,
  type HasOne,
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

@table('fx_teams')
export class Team extends Model {
  @column.primary() declare id: number
  @column() declare name: string
  @hasMany(() => Member) declare members: HasMany<Member>
  @hasManyThrough(() => Article, () => Member, { throughForeignKey: 'authorId' }) declare articles: HasManyThrough<Article>
}

@table('fx_members')
export class Member extends Model {
  @column.primary() declare id: number
  @column() declare teamId: number | null
  @column() declare email: string
  @column() declare name: string
  @column.boolean() declare active: boolean
  @column() declare role: string
  @column.json() declare settings: Record<string, unknown> | null
  @column.createdAt() declare createdAt: Date
  @column.updatedAt() declare updatedAt: Date

  @belongsTo(() => Team) declare team: BelongsTo<Team>
  @hasMany(() => Article, { foreignKey: 'authorId' }) declare articles: HasMany<Article>
  @hasOne(() => Bio) declare bio: HasOne<Bio>
  @belongsToMany(() => Badge, { pivotTable: 'fx_badge_member', pivotColumns: ['grantedBy'] }) declare badges: BelongsToMany<Badge>
  @morphOne(() => Picture, 'imageable') declare avatar: MorphOne<Picture>

  // Mass assignment rules do not bind factories (they assign trusted data).
  static fillable = ['name']
}

@table('fx_bios')
export class Bio extends Model {
  @column.primary() declare id: number
  @column() declare memberId: number
  @column() declare text: string
}

@table('fx_articles')
export class Article extends Model {
  @column.primary({ type: 'uuid' }) declare id: string
  @column() declare authorId: number
  @column() declare title: string
  @column.slug({ from: 'title' }) declare slug: string
  @column.boolean() declare published: boolean
  @column.createdAt() declare createdAt: Date

  @belongsTo(() => Member, { foreignKey: 'authorId' }) declare author: BelongsTo<Member>
  @morphMany(() => Note, 'notable') declare notes: MorphMany<Note>
  @morphToMany(() => Label, 'labelable', { pivotTable: 'fx_labelables' }) declare labels: MorphToMany<Label>
}

@table('fx_notes')
export class Note extends Model {
  @column.primary() declare id: number
  @column() declare notableType: string
  @column() declare notableId: string
  @column() declare body: string
  @morphTo({ types: () => [Article] }) declare notable: MorphTo<Article>
}

@table('fx_pictures')
export class Picture extends Model {
  @column.primary() declare id: number
  @column() declare imageableType: string | null
  @column() declare imageableId: number | null
  @column() declare url: string
  @morphTo({ types: () => [Member, Team] }) declare imageable: MorphTo<Member | Team>
}

@table('fx_badges')
export class Badge extends Model {
  @column.primary() declare id: number
  @column() declare name: string
  @belongsToMany(() => Member, { pivotTable: 'fx_badge_member', pivotColumns: ['grantedBy'] }) declare members: BelongsToMany<Member>
}

@table('fx_labels')
export class Label extends Model {
  @column.primary() declare id: number
  @column() declare name: string
  @morphedByMany(() => Article, 'labelable', { pivotTable: 'fx_labelables' }) declare articles: MorphedByMany<Article>
}

export const TeamFactory = defineFactory(Team, ({ faker }) => ({ name: faker.company.name() }))

export const MemberFactory = defineFactory(Member, ({ faker, sequence }) => ({
  email: `member${sequence}@example.test`,
  name: faker.person.fullName(),
  active: true,
  role: 'member',
}))
  .state('inactive', { active: false })
  .state('admin', (attributes) => ({ role: 'admin', name: `Admin ${attributes.name}` }))

export const BioFactory = defineFactory(Bio, ({ faker }) => ({ text: faker.lorem.sentence() }))

export const ArticleFactory = defineFactory(Article, ({ faker }) => ({
  title: faker.lorem.words(3),
  published: faker.datatype.boolean(),
})).state('published', { published: true })

export const NoteFactory = defineFactory(Note, ({ faker }) => ({ body: faker.lorem.sentence() }))
export const PictureFactory = defineFactory(Picture, ({ faker }) => ({ url: faker.image.url() }))
export const BadgeFactory = defineFactory(Badge, ({ sequence }) => ({ name: `badge ${sequence}` }))
export const LabelFactory = defineFactory(Label, ({ faker }) => ({ name: faker.word.noun() }))

export const TABLES = ['fx_teams', 'fx_members', 'fx_bios', 'fx_articles', 'fx_notes', 'fx_pictures', 'fx_badges', 'fx_badge_member', 'fx_labels', 'fx_labelables']

/** The tables of the models above, on a fresh database. */
export async function createSchema(db: Database): Promise<void> {
  const create = (name: string, fn: (t: Knex.CreateTableBuilder) => void) => db.knex.schema.createTable(name, fn)
  await create('fx_teams', (t) => {
    t.increments('id')
    t.string('name').notNullable()
  })
  await create('fx_members', (t) => {
    t.increments('id')
    t.integer('team_id').nullable()
    t.string('email').notNullable().unique()
    t.string('name').notNullable()
    t.boolean('active').notNullable()
    t.string('role').notNullable()
    t.text('settings').nullable()
    t.datetime('created_at', { precision: 3 }).nullable()
    t.datetime('updated_at', { precision: 3 }).nullable()
  })
  await create('fx_bios', (t) => {
    t.increments('id')
    t.integer('member_id').notNullable()
    t.string('text').notNullable()
  })
  await create('fx_articles', (t) => {
    t.uuid('id').primary()
    t.integer('author_id').notNullable()
    t.string('title').notNullable()
    t.string('slug').notNullable().unique()
    t.boolean('published').notNullable()
    t.datetime('created_at', { precision: 3 }).nullable()
  })
  await create('fx_notes', (t) => {
    t.increments('id')
    t.string('notable_type').notNullable()
    t.uuid('notable_id').notNullable()
    t.string('body').notNullable()
  })
  await create('fx_pictures', (t) => {
    t.increments('id')
    t.string('imageable_type').nullable()
    t.integer('imageable_id').nullable()
    t.string('url').notNullable()
  })
  await create('fx_badges', (t) => {
    t.increments('id')
    t.string('name').notNullable()
  })
  await create('fx_badge_member', (t) => {
    t.integer('member_id').notNullable()
    t.integer('badge_id').notNullable()
    t.integer('granted_by').nullable()
    t.primary(['member_id', 'badge_id'])
  })
  await create('fx_labels', (t) => {
    t.increments('id')
    t.string('name').notNullable()
  })
  await create('fx_labelables', (t) => {
    t.integer('label_id').notNullable()
    t.string('labelable_type').notNullable()
    t.uuid('labelable_id').notNullable()
  })
}

export async function truncateAll(db: Database): Promise<void> {
  for (const name of TABLES) await db.knex(name).delete()
}

/** How many rows `table` holds. */
export async function rowCount(db: Database, name: string): Promise<number> {
  return Number((await db.knex(name).count({ n: '*' }))[0]!.n)
}
