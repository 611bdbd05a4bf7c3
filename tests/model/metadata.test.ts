import 'reflect-metadata'
import { transformSync } from '@swc/core'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  column,
  connect,
  Model,
  QuarryError,
  registerRelation,
  RelationNotLoadedError,
  table,
  UnknownColumnError,
} from '../../src/index.js'
import { hydrate } from '../../src/model/hydrate.js'
import { modelMetadata } from '../../src/model/model.js'
import { createTestDatabase, forEachDialect } from '../support/databases.js'
import { createSchema, Post, RoleUser, User } from './models.js'

describe('model metadata', () => {
  it('default table names are the snake_case plural of the class name', () => {
    class Person extends Model {}
    class Category extends Model {}
    class UserProfile extends Model {}
    class Status extends Model {}
    expect(Person.query().target.table).toBe('people')
    expect(Category.query().target.table).toBe('categories')
    expect(UserProfile.query().target.table).toBe('user_profiles')
    expect(Status.query().target.table).toBe('statuses')
  })

  it('decorator misuse fails with a clear message', () => {
    expect(() => column.primary({ type: 'serial' as never })).toThrow(/'increments', 'uuid' or 'assigned'/)
    expect(() => column.slug({} as never)).toThrow(/needs the property/)
    expect(() => column({ columnName: '' })).toThrow(/non-empty string/)
    expect(() => table('')).toThrow(/non-empty string/)
    expect(() => column({ cast: { get: (v: unknown) => v } as never })).toThrow(/get\(value\) and set\(value\)/)
    class BadSlug extends Model {
      @column.slug({ from: 'missing' }) declare slug: string
    }
    expect(() => BadSlug.query()).toThrow(/names no column property/)
    class TwoStamps extends Model {
      @column.createdAt() declare a: Date
      @column.createdAt() declare b: Date
    }
    expect(() => new TwoStamps()).toThrow(/more than one @column.createdAt/)
    expect(() => {
      class Late extends Model {
        @column() declare x: string
      }
      Late.query()
      column()(Late.prototype, 'y')
    }).toThrow(/before the model is first used/)
    expect(() => column()(class {} as never, 'x')).toThrow(/static/)
  })

  it('models declared without decorator metadata behave the same (explicit variants alone)', async () => {
    const source = `
      @table('meta_free')
      class Event extends Model {
        @column.primary() declare id: number
        @column.dateTime() declare happenedAt: Date
        @column.boolean() declare done: boolean
        @column.json() declare payload: object
        @column() declare plainDate: Date
      }`
    const compile = (decoratorMetadata: boolean) => {
      const { code } = transformSync(source, {
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata },
        },
      })
      const factory = new Function('Model', 'table', 'column', `${code}\nreturn Event`)
      return factory(Model, table, column) as typeof Model
    }
    const withoutMetadata = compile(false)
    const withMetadata = compile(true)
    // Hydrated with no database connected: the casts' own `get` (no dialect's date forms).
    const hydrateRows = (Event: typeof Model, rows: Array<Record<string, unknown>>) => hydrate(modelMetadata(Event), rows, false)
    for (const Event of [withoutMetadata, withMetadata]) {
      const rows = [{ id: 1, happened_at: 1_700_000_000_123, done: 0, payload: '{"a":[1]}', plain_date: 1_700_000_000_000 }]
      const [event] = (await hydrateRows(Event, rows)) as unknown as Array<Record<string, unknown>>
      expect(event!.happenedAt).toEqual(new Date(1_700_000_000_123))
      expect(event!.done).toBe(false)
      expect(event!.payload).toEqual({ a: [1] })
    }
    // Only the plain `@column() declare plainDate: Date` differs: metadata infers its cast.
    const [bare] = (await hydrateRows(withoutMetadata, [{ plain_date: 5 }])) as unknown as Array<Record<string, unknown>>
    const [inferred] = (await hydrateRows(withMetadata, [{ plain_date: 5 }])) as unknown as Array<Record<string, unknown>>
    expect(bare!.plainDate).toBe(5)
    expect(inferred!.plainDate).toEqual(new Date(5))
  })
})

describe('serialisation and the relation seam', () => {
  class Author extends Model {
    @column.primary() declare id: number
    @column({ serializeAs: 'displayName' }) declare name: string
    @column({ hidden: true }) declare secret: string
    @column({ serializeAs: null }) declare internal: string
    declare books: Book[]
  }
  class Book extends Model {
    @column.primary() declare id: number
    @column() declare title: string
    @column({ hidden: true }) declare isbn: string
  }
  registerRelation(Author, 'books', { kind: 'hasMany' })

  const author = () => {
    const a = new Author().merge({ id: 1, name: 'Ada', secret: 's', internal: 'i' })
    return a
  }

  it('toJSON: camelCase keys, hidden and serializeAs honoured, extras at the top level', () => {
    const a = author()
    a.$extras.booksCount = 2
    expect(a.toJSON()).toEqual({ id: 1, displayName: 'Ada', booksCount: 2 })
    expect(JSON.parse(JSON.stringify({ a }))).toEqual({ a: { id: 1, displayName: 'Ada', booksCount: 2 } })
  })

  it('reading a declared relation that was not loaded throws RelationNotLoadedError naming the fix', () => {
    const a = author()
    expect(() => a.books).toThrow(RelationNotLoadedError)
    expect(() => a.books).toThrow(/with\('books'\).*load\('books'\)/)
  })

  it('loaded relations are nested in toJSON and serialize()', () => {
    const a = author()
    const book = new Book().merge({ id: 7, title: 'Notes', isbn: 'x' })
    a.books = [book]
    expect(a.books).toEqual([book])
    expect(a.toJSON()).toEqual({ id: 1, displayName: 'Ada', books: [{ id: 7, title: 'Notes' }] })
    expect(a.serialize({ fields: ['id'], relations: { books: { fields: { omit: ['title'] } } } })).toEqual({ id: 1, books: [{ id: 7 }] })
    a.$relations.books = null
    expect(a.toJSON().books).toBeNull()
    expect(() => a.serialize({ fields: ['nope'] })).toThrow(/no field "nope"/)
  })

  it('a composite key model serialises by property, with serializeAs', () => {
    expect(new RoleUser().merge({ userId: 1, roleId: 2, grantor: 3 }).toJSON()).toEqual({ userId: 1, roleId: 2, grantedBy: 3 })
  })
})

forEachDialect('model naming and connections', (ctx) => {
  beforeAll(async () => {
    await createSchema(ctx.db)
  })

  it('properties map to snake_case columns unless a column or the model says otherwise', () => {
    @table('a', { naming: 'preserve' })
    class Preserved extends Model {
      @column() declare lastName: string
    }
    @table('b', { naming: (property) => `c_${property.toLowerCase()}` })
    class Custom extends Model {
      @column() declare lastName: string
      @column({ columnName: 'EXACT' }) declare other: string
    }
    class Snake extends Model {
      @column() declare lastName: string
      @column() declare line2Text: string
      @column() declare htmlURLPath: string
    }
    expect(Preserved.query().where('lastName', 'x').toSQL().sql).toContain('lastName')
    expect(Custom.query().where('lastName', 'x').where('other', 'y').toSQL().sql).toMatch(/c_lastname.*EXACT/)
    const sql = Snake.query().where('lastName', 'x').where('line2Text', 'y').where('htmlURLPath', 'z').toSQL().sql
    expect(sql).toMatch(/last_name.*line2_text.*html_url_path/)
    // The column name is accepted too, and maps to itself.
    expect(Snake.query().where('last_name' as never, 'x').toSQL().sql).toContain('last_name')
  })

  it('subclasses inherit columns and an explicit table; their own default table differs', () => {
    class Admin extends User {
      @column() declare level: number
    }
    const admin = new Admin()
    admin.email = 'root@x.io'
    admin.level = 3
    expect(admin.$attributes).toEqual({ email: 'root@x.io', level: 3 })
    expect(Admin.query().target.table).toBe('users')
    expect(() => User.query().where('level' as never, 1)).toThrow(UnknownColumnError)
    class Base extends Model {
      @column.primary() declare id: number
    }
    class Child extends Base {}
    expect(Child.query().target.table).toBe('children')
    expect(Child.query().whereKey(1).toSQL().sql).toMatch(/children.*id/)
  })


  it('useConnection() points a model at another connection; others stay on the default', async () => {
    const other = await createTestDatabase(ctx.dialect)
    const otherDb = await connect(other.config())
    try {
      await createSchema(otherDb)
      class Elsewhere extends Post {}
      Elsewhere.useConnection(otherDb.connection())
      await Elsewhere.create({ authorId: 1, title: 'There', published: true })
      expect(await otherDb.table('posts').count({ n: '*' })).toEqual([{ n: expect.anything() }])
      expect((await otherDb.table('posts')).map((r) => r.title)).toEqual(['There'])
      expect(await ctx.db.table('posts')).toEqual([])
      expect(await Post.query().count()).toBe(0)
    } finally {
      await otherDb.close()
      await other.drop()
    }
  })

  it('an unknown connection name is a clear error', async () => {
    @table('posts', { connection: 'nowhere' })
    class Lost extends Model {
      @column.primary() declare id: string
    }
    await expect(Lost.query().first()).rejects.toThrow(/No connection named "nowhere"/)
    expect(() => Post.useConnection(42 as never)).toThrow(/connection name or a Connection/)
    expect(() => Model.useConnection('x')).toThrow(QuarryError)
  })
})
