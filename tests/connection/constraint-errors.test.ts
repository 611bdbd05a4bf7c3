import { beforeAll, expect, it } from 'vitest'
import {
  ForeignKeyViolationError,
  NotNullViolationError,
  QuarryError,
  QueryError,
  UniqueViolationError,
} from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'

forEachDialect('constraint errors are the same on every dialect', (ctx) => {
  beforeAll(async () => {
    await ctx.db.knex.schema.createTable('teams', (t) => {
      t.increments('id')
      t.string('name').notNullable()
    })
    await ctx.db.knex.schema.createTable('members', (t) => {
      t.increments('id')
      t.string('email').notNullable()
      t.integer('team_id').unsigned().notNullable().references('id').inTable('teams')
      t.unique(['email'], { indexName: 'members_email_unique' })
    })
    const [team] = await ctx.db.table('teams').insert({ name: 'core' }, ['id'])
    await ctx.db.table('members').insert({ email: 'a@b.c', team_id: typeof team === 'object' ? team.id : team })
  })

  const teamId = async () => (await ctx.db.table<{ id: number }>('teams').first())!.id
  const count = async (table: string) => Number((await ctx.db.raw<{ n: number }>(`select count(*) as n from ${table}`))[0]!.n)

  it('a duplicate is a UniqueViolationError with the table and constraint or columns, driver error as cause', async () => {
    const error = await ctx.db.table('members').insert({ email: 'a@b.c', team_id: await teamId() }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UniqueViolationError)
    expect(error).toBeInstanceOf(QuarryError)
    const unique = error as UniqueViolationError
    expect(unique.code).toBe('E_UNIQUE_VIOLATION')
    expect(unique.cause).toBeDefined()
    expect(unique.cause).not.toBeInstanceOf(QuarryError)
    // Every dialect names the table and the columns (MariaDB's index name is looked up).
    expect(unique.table).toBe('members')
    expect(unique.columns).toEqual(['email'])
    expect(unique.message).not.toContain('a@b.c')
    expect(await count('members')).toBe(1)
  })

  it('a missing parent is a ForeignKeyViolationError', async () => {
    const error = await ctx.db.table('members').insert({ email: 'new@b.c', team_id: 999 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ForeignKeyViolationError)
    expect((error as ForeignKeyViolationError).code).toBe('E_FOREIGN_KEY_VIOLATION')
    expect(await count('members')).toBe(1)
  })

  it('deleting a parent that still has children is a ForeignKeyViolationError and deletes nothing', async () => {
    const error = await ctx.db.table('teams').delete().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ForeignKeyViolationError)
    expect(await count('teams')).toBe(1)
  })

  it('a null in a NOT NULL column is a NotNullViolationError naming the column', async () => {
    const error = await ctx.db.table('members').insert({ email: null, team_id: await teamId() }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NotNullViolationError)
    expect((error as NotNullViolationError).columns).toEqual(['email'])
    expect(await count('members')).toBe(1)
  })

  it('a failed statement in a batch insert leaves none of the batch behind', async () => {
    const error = await ctx.db
      .table('members')
      .insert([
        { email: 'one@b.c', team_id: await teamId() },
        { email: 'a@b.c', team_id: await teamId() },
      ])
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UniqueViolationError)
    expect(await count('members')).toBe(1)
  })

  it('other errors are a QueryError with the driver\'s error as cause and the SQL with placeholders, never the values', async () => {
    const error = (await ctx.db.raw('select * from no_such_table where secret = ?', ['hunter2']).catch((e: unknown) => e)) as QueryError
    expect(error).toBeInstanceOf(QueryError)
    expect(error.code).toBe('E_QUERY')
    expect(error.cause).toBeInstanceOf(Error)
    expect(error.cause).not.toBeInstanceOf(QuarryError)
    expect(error.message).toMatch(/no_such_table/)
    expect(error.sql).toMatch(/select \* from no_such_table where secret = (\?|\$1)/)
    expect(error.message).not.toContain('hunter2')
  })
})
