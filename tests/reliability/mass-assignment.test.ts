import { afterEach, beforeAll, expect, it } from 'vitest'
import { column, MassAssignmentError, Model, QuarryError, table, UnknownColumnError } from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'

/**
 * Mass assignment changes nothing it must not: guarded keys are refused as a whole (nothing is
 * assigned, nothing is written), and `__proto__` / `constructor` / `prototype` keys, however they
 * arrive, are unknown columns: no prototype is polluted, no model's prototype is touched, no SQL
 * is sent.
 */

@table('rel_accounts')
class Account extends Model {
  @column.primary() declare id: number
  @column() declare name: string
  @column() declare isAdmin: boolean | null
  @column.json() declare settings: unknown

  static fillable = ['name', 'settings']
}

/** The same table, guarded instead of fillable. */
@table('rel_accounts')
class GuardedAccount extends Model {
  @column.primary() declare id: number
  @column() declare name: string
  @column() declare isAdmin: boolean | null
  @column.json() declare settings: unknown

  static guarded = ['id', 'isAdmin']
}

/** Payloads as they arrive from JSON bodies and query strings: `__proto__` as an own key. */
const POLLUTERS: Array<[string, Record<string, unknown>]> = [
  ['__proto__ (JSON)', JSON.parse('{"name": "x", "__proto__": {"polluted": "yes", "isAdmin": true}}')],
  ['constructor.prototype (JSON)', JSON.parse('{"name": "x", "constructor": {"prototype": {"polluted": "yes"}}}')],
  ['prototype', { name: 'x', prototype: { polluted: 'yes' } }],
  ['__proto__ (defined)', Object.defineProperty({ name: 'x' }, '__proto__', { value: { polluted: 'yes' }, enumerable: true })],
  ['$attributes', { name: 'x', $attributes: { is_admin: true } }],
  ['save', { name: 'x', save: 'yes' }],
  ['toJSON', { name: 'x', toJSON: 'yes' }],
]

/** Every way attributes reach a model, given the payload. */
const WRITES: Array<[string, (Class: typeof Account, attributes: Record<string, unknown>) => Promise<unknown> | unknown]> = [
  ['fill', (C, a) => new C().fill(a as never)],
  ['merge', (C, a) => new C().merge(a as never)],
  ['create', (C, a) => C.create(a as never)],
  ['createMany', (C, a) => C.createMany([a, { name: 'ok' }] as never)],
  ['firstOrCreate search', (C, a) => C.firstOrCreate(a as never)],
  ['firstOrCreate extra', (C, a) => C.firstOrCreate({ name: 'fresh' }, a as never)],
  ['firstOrNew', (C, a) => C.firstOrNew({ name: 'fresh' }, a as never)],
  ['updateOrCreate', (C, a) => C.updateOrCreate({ name: 'existing' }, a as never)],
  ['insert', (C, a) => C.insert([a] as never)],
  ['upsert', (C, a) => C.upsert([a] as never, ['id'])],
  ['mass update', (C, a) => C.query().where('name', 'existing').update(a as never)],
]

const prototypeShape = (target: object) =>
  Object.getOwnPropertyNames(target).map((name) => [name, Object.getOwnPropertyDescriptor(target, name)!.value ?? 'accessor'])

forEachDialect('mass assignment', (ctx) => {
  let sql: string[] = []
  const shapes = () => [Object.prototype, Model.prototype, Account.prototype, GuardedAccount.prototype].map(prototypeShape)
  let before: unknown

  beforeAll(async () => {
    await ctx.db.knex.schema.createTable('rel_accounts', (t) => {
      t.increments('id')
      t.string('name').notNullable()
      t.boolean('is_admin').nullable()
      t.json('settings').nullable()
    })
    for (const Class of [Account, GuardedAccount]) Class.useConnection(ctx.db.connection())
    await ctx.db.table('rel_accounts').insert({ name: 'existing', is_admin: false })
    ctx.db.on('query', (e) => sql.push(e.sql))
    // Accessors are defined on a model's prototype on first use: use both before the snapshot.
    await Account.query().first()
    await GuardedAccount.query().first()
    before = shapes()
  })

  afterEach(() => {
    // Nothing anywhere picked up a property from a payload.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined()
    expect(Object.prototype).not.toHaveProperty('polluted')
    expect(shapes()).toEqual(before)
  })

  const rows = async () => ctx.db.table('rel_accounts').orderBy('id').select('id', 'name', 'is_admin')

  it(`__proto__, constructor, prototype and member names: ${POLLUTERS.length} payloads x ${WRITES.length} writes, each refused before any SQL, nothing polluted`, async () => {
    const stored = await rows()
    for (const Class of [Account, GuardedAccount]) {
      for (const [payload, attributes] of POLLUTERS) {
        for (const [what, write] of WRITES) {
          sql = []
          const error = await Promise.resolve()
            .then(() => write(Class as typeof Account, attributes))
            .then(() => undefined, (e: unknown) => e)
          const label = `${Class.name}.${what} with ${payload}`
          // Not a column: an unknown name, never an assignment.
          expect(error, label).toBeInstanceOf(UnknownColumnError)
          // Finders read before they write, createMany opens its transaction: no write may be sent.
          expect(sql.filter((s) => !/^\s*(select|begin|rollback)/i.test(s)), label).toEqual([])
        }
      }
    }
    expect(await rows()).toEqual(stored)
  })

  it('a model whose fill() was refused keeps its prototype and every attribute it had', async () => {
    const account = new Account().fill({ name: 'kept' })
    for (const [, attributes] of POLLUTERS) expect(() => account.fill(attributes as never)).toThrow(QuarryError)
    expect(Object.getPrototypeOf(account)).toBe(Account.prototype)
    expect(account.$attributes).toEqual({ name: 'kept' })
    expect(account.isAdmin).toBeUndefined()
    expect(typeof account.save).toBe('function')
  })

  it('guarded keys: fillable and guarded refuse them as a whole, name every one, assign and write nothing', async () => {
    const stored = await rows()
    for (const [Class, refused] of [[Account, ['isAdmin', 'id']], [GuardedAccount, ['isAdmin', 'id']]] as const) {
      for (const attributes of [{ name: 'sneaky', isAdmin: true }, { name: 'sneaky', is_admin: true, id: 1 }, { id: 99, name: 'sneaky' }]) {
        sql = []
        const error = await (Class as typeof Account).create(attributes as never).catch((e: unknown) => e)
        expect(error).toBeInstanceOf(MassAssignmentError)
        for (const key of Object.keys(attributes).filter((k) => k !== 'name')) expect((error as MassAssignmentError).keys).toContain(key)
        expect(refused.some((k) => (error as Error).message.includes(`"${k}"`) || (error as Error).message.includes('"is_admin"'))).toBe(true)
        expect(sql).toEqual([])
        const model = new (Class as typeof Account)()
        expect(() => model.fill(attributes as never)).toThrow(MassAssignmentError)
        // Nothing of the payload was assigned, not even its fillable keys.
        expect(model.$attributes).toEqual({})
      }
      const existing = (await (Class as typeof Account).query().where('name', 'existing').firstOrFail())
      expect(() => existing.fill({ isAdmin: true } as never)).toThrow(MassAssignmentError)
      expect(existing.isDirty()).toBe(false)
      await expect((Class as typeof Account).updateOrCreate({ name: 'existing' }, { isAdmin: true } as never)).rejects.toBeInstanceOf(MassAssignmentError)
    }
    expect(await rows()).toEqual(stored)
    // Assigning the property directly is the way for trusted code.
    const account = await Account.create({ name: 'admin' })
    account.isAdmin = true
    await account.save()
    expect((await Account.findOrFail(account.id)).isAdmin).toBeTruthy()
    await ctx.db.table('rel_accounts').where('id', account.id).delete()
  })

  it('JSON values with __proto__ keys are data: stored, read back and serialised as own keys, polluting nothing', async () => {
    const settings = JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}, "nested": [{"__proto__": {"polluted": "yes"}}]}')
    const account = await Account.create({ name: 'json', settings })
    const loaded = await Account.findOrFail(account.id)
    for (const value of [loaded.settings, loaded.toJSON().settings, JSON.parse(JSON.stringify(loaded)).settings, loaded.serialize().settings]) {
      const object = value as Record<string, unknown>
      expect(Object.getPrototypeOf(object)).toBe(Object.prototype)
      expect(Object.hasOwn(object, '__proto__')).toBe(true)
      expect(object.polluted).toBeUndefined()
      const nested = (object.nested as Array<Record<string, unknown>>)[0]!
      expect(Object.getPrototypeOf(nested)).toBe(Object.prototype)
      expect(nested.polluted).toBeUndefined()
    }
    expect(JSON.stringify(loaded.settings)).toBe(JSON.stringify(settings))
    await ctx.db.table('rel_accounts').where('id', account.id).delete()
  })
})
