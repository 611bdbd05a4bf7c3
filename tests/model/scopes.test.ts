import { beforeAll, beforeEach, expect, it } from 'vitest'
import { column, Model, type ModelQuery, table } from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'
import { createSchema, truncate, User } from './models.js'

@table('users')
class TenantUser extends Model {
  @column.primary() declare id: number
  @column() declare email: string
  @column() declare age: number | null
  @column.boolean() declare active: boolean
  @column.createdAt() declare createdAt: Date
  @column.updatedAt() declare updatedAt: Date
  @column.deletedAt() declare deletedAt: Date | null

  static globalScopes = {
    adults: (q: ModelQuery<TenantUser>) => q.where('age', '>=', 18).orWhereNull('age'),
  }
  static scopes = {
    young: (q: ModelQuery<TenantUser>) => q.where('age', '<', 30),
  }
}

forEachDialect('scopes', (ctx) => {
  beforeAll(async () => {
    await createSchema(ctx.db)
  })
  beforeEach(async () => {
    await truncate(ctx.db, 'users')
    await User.insert([
      { email: 'kid@x.io', age: 9, active: true },
      { email: 'ann@x.io', name: 'Ann', age: 25, active: true },
      { email: 'bob@x.io', name: 'Bob', age: 41, active: false },
      { email: 'cy@x.io', name: 'Cy', age: 67, active: true },
    ])
  })

  const emails = (users: Array<{ email: string }>) => users.map((u) => u.email).sort()

  it('local scopes by name, with typed arguments, chain with each other and with where', async () => {
    expect(emails(await User.query().scope('active'))).toEqual(['ann@x.io', 'cy@x.io', 'kid@x.io'])
    expect(emails(await User.query().scope('active').scope('olderThan', 30))).toEqual(['cy@x.io'])
    expect(emails(await User.query().scope('olderThan', 20).where('active', false))).toEqual(['bob@x.io'])
    expect(emails(await User.query().scope('named', 'Ann', 'Bob'))).toEqual(['ann@x.io', 'bob@x.io'])
    expect(emails(await User.query().scope('named', 'Cy'))).toEqual(['cy@x.io'])
  })

  it('an unknown scope name is an error listing the scopes', () => {
    const untyped = (query: { scope: unknown }, name: string) => () => (query.scope as (this: unknown, n: string) => unknown).call(query, name)
    expect(untyped(User.query(), 'nope')).toThrow(/no scope "nope"; its scopes are: active, olderThan, named/)
    expect(untyped(TenantUser.query(), 'toString')).toThrow(/no scope "toString"/)
  })

  it('global scopes apply to every query (grouped apart from its or-conditions) until withoutGlobalScope', async () => {
    expect(emails(await TenantUser.query())).toEqual(['ann@x.io', 'bob@x.io', 'cy@x.io'])
    expect(emails(await TenantUser.query().where('active', true).orWhere('email', 'kid@x.io'))).toEqual(['ann@x.io', 'cy@x.io'])
    expect(await TenantUser.query().count()).toBe(3)
    expect(await TenantUser.find((await User.findBy('email', 'kid@x.io'))!.id)).toBeNull()
    expect(emails(await TenantUser.query().withoutGlobalScope('adults'))).toHaveLength(4)
    expect(emails(await TenantUser.query().scope('young'))).toEqual(['ann@x.io'])
    expect(emails(await TenantUser.query().withoutGlobalScopes().scope('young'))).toEqual(['ann@x.io', 'kid@x.io'])
  })

  it('global scopes and soft deletes compose; withoutGlobalScopes drops both', async () => {
    await TenantUser.query().where('email', 'bob@x.io').delete()
    expect(emails(await TenantUser.query())).toEqual(['ann@x.io', 'cy@x.io'])
    expect(emails(await TenantUser.query().withTrashed())).toEqual(['ann@x.io', 'bob@x.io', 'cy@x.io'])
    expect(emails(await TenantUser.query().withoutGlobalScope('softDeletes'))).toEqual(['ann@x.io', 'bob@x.io', 'cy@x.io'])
    expect(await TenantUser.query().withoutGlobalScopes().count()).toBe(4)
  })

  it('an unknown global scope name is an error', () => {
    expect(() => TenantUser.query().withoutGlobalScope('tenant' as never)).toThrow(/no global scope "tenant"; its global scopes are: softDeletes, adults/)
  })

  it('a scope applies to the query it is given; a clone keeps its scopes and is independent', async () => {
    const base = User.query().scope('active')
    const older = base.clone().scope('olderThan', 30)
    expect(emails(await older)).toEqual(['cy@x.io'])
    expect(await base.count()).toBe(3)
  })
})
