import { beforeAll, expect, it } from 'vitest'
import { QuarryError, type QueryEvent } from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'
import { Comment, Country, createSchema, User } from '../relations/models.js'

// §8: `where(col, '=', null)` is IS NULL, `'!='`/`'<>'` null IS NOT NULL, everywhere a condition is
// written; any other operator with null is a QuarryError before SQL.
forEachDialect('null comparisons', (ctx) => {
  beforeAll(async () => {
    await createSchema(ctx.db)
    const country = await Country.create({ name: 'Iceland' })
    const ann = await User.create({ name: 'Ann', countryId: country.id })
    const bob = await User.create({ name: 'Bob', mentorId: ann.id })
    await User.create({ name: 'Cy' })
    await Comment.create({ body: 'loose', userId: ann.id })
    const placed = await Comment.create({ body: 'placed', userId: bob.id })
    await ctx.db.table('comments').where('id', placed.id).update({ commentable_type: 'post' })
  })

  const names = async (query: PromiseLike<User[]>) => (await query).map((u) => u.name).sort()

  /** Runs `fn` and returns the statements it sent. */
  async function sent(fn: () => unknown): Promise<QueryEvent[]> {
    const events: QueryEvent[] = []
    const off = ctx.db.on('query', (e) => events.push(e))
    try {
      await fn()
    } finally {
      off()
    }
    return events
  }

  it("where/orWhere/whereNot with '=' null is IS NULL, '!=' and '<>' null IS NOT NULL", async () => {
    expect(await names(User.query().where('countryId', '=', null))).toEqual(['Bob', 'Cy'])
    expect(await names(User.query().where('countryId', '!=', null))).toEqual(['Ann'])
    expect(await names(User.query().where('countryId', '<>', null))).toEqual(['Ann'])
    expect(await names(User.query().where('name', 'Ann').orWhere('mentorId', '<>', null))).toEqual(['Ann', 'Bob'])
    expect(await names(User.query().where('name', 'Ann').orWhere('mentorId', '=', null))).toEqual(['Ann', 'Cy'])
    expect(await names(User.query().whereNot('countryId', '=', null))).toEqual(['Ann'])
    expect(await names(User.query().whereNot('countryId', '!=', null))).toEqual(['Bob', 'Cy'])
    expect(await names(User.query().where('name', 'Cy').orWhereNot('mentorId', '=', null))).toEqual(['Bob', 'Cy'])
    expect(await names(User.query().where('countryId', null))).toEqual(['Bob', 'Cy'])
    expect(await names(User.query().whereNot('countryId', null))).toEqual(['Ann'])
    expect(await names(User.query().where((q) => q.where('countryId', '=', null).where('mentorId', '=', null)))).toEqual(['Cy'])
  })

  it('the object form: { column: null } is IS NULL, negated by whereNot', async () => {
    expect(await names(User.query().where({ countryId: null, mentorId: null }))).toEqual(['Cy'])
    expect(await names(User.query().where({ countryId: null, name: 'Bob' }))).toEqual(['Bob'])
    expect(await names(User.query().where('name', 'Ann').orWhere({ mentorId: null, countryId: null }))).toEqual(['Ann', 'Cy'])
    expect(await names(User.query().whereNot({ countryId: null }))).toEqual(['Ann'])
  })

  it('no NULL is ever bound: the SQL says is null / is not null', () => {
    for (const query of [
      User.query().where('countryId', '=', null),
      User.query().where('countryId', '<>', null),
      User.query().orWhere('countryId', '!=', null),
      User.query().where({ countryId: null }),
      User.query().select('countryId').groupBy('countryId').having('countryId', '=', null),
    ]) {
      const { sql, bindings } = query.toSQL()
      expect(bindings).not.toContain(null)
      expect(sql).toMatch(/ is (not )?null/i)
    }
  })

  it('having and orHaving with null', async () => {
    const groups = async (query: PromiseLike<Array<Pick<User, 'countryId'>>>) => (await query).map((u) => u.countryId).sort()
    const base = () => User.query().select('countryId').groupBy('countryId')
    expect(await groups(base().having('countryId', '=', null))).toEqual([null])
    expect(await groups(base().having('countryId', '<>', null))).toHaveLength(1)
    expect((await groups(base().having('countryId', '!=', null)))[0]).not.toBeNull()
    expect(await groups(base().having('countryId', '=', null).orHaving('countryId', '!=', null))).toHaveLength(2)
    expect(await groups(base().having('countryId', '>', 0).orHaving('countryId', '=', null))).toHaveLength(2)
  })

  it('relation constraints: whereHas, withCount and eager constraints', async () => {
    expect(await names(User.query().whereHas('comments', (q) => q.where('commentableType', '=', null)))).toEqual(['Ann'])
    expect(await names(User.query().whereHas('comments', (q) => q.where('commentableType', '<>', null)))).toEqual(['Bob'])
    expect(await names(User.query().whereHas('mentor', (q) => q.where({ countryId: null }).orWhere('countryId', '!=', null)))).toEqual(['Bob'])
    const users = await User.query().with('comments', (q) => q.where('commentableType', '!=', null)).orderBy('name')
    expect(users.map((u) => [u.name, u.comments.length])).toEqual([['Ann', 0], ['Bob', 1], ['Cy', 0]])
    const counted = await User.query().withCount('comments', (q) => q.where('commentableType', '=', null)).orderBy('name')
    expect(counted.map((u) => u.$extras.commentsCount)).toEqual([1, 0, 0])
    const bob = (await User.query().where('name', 'Bob').first())!
    expect(await bob.related('comments').query().where('commentableType', '!=', null).count()).toBe(1)
  })

  it('any other operator with null is a QuarryError naming the column, before any SQL', async () => {
    const statements = await sent(async () => {
      for (const build of [
        () => User.query().where('countryId', '>', null),
        () => User.query().where('name', 'like', null),
        () => User.query().orWhere('name', 'not ilike', null),
        () => User.query().whereNot('mentorId', '<=', null),
        () => User.query().select('countryId').groupBy('countryId').having('countryId', '<', null),
        () => User.query().select('countryId').groupBy('countryId').orHaving('countryId', 'like', null),
      ]) {
        expect(build).toThrow(QuarryError)
        expect(build).toThrow(/compare null only with =, != or <>/)
      }
      expect(() => User.query().where('countryId', '>=', null)).toThrow(/"countryId" >= null/)
      // A relation's constraint runs when it is added or when the query runs: either way, no SQL.
      const attempt = async (fn: () => PromiseLike<unknown>) => fn()
      await expect(attempt(() => User.query().whereHas('comments', (q) => q.where('votes', '>', null)))).rejects.toThrow(/"votes" > null/)
      expect(() => User.query().select('countryId').groupBy('countryId').having('countryId', '=', undefined as never)).toThrow(/undefined cannot be compared/)
    })
    expect(statements).toEqual([])
    // An eager constraint runs when the relation loads, after the parents' query: the related
    // query itself is never sent.
    const eager = await sent(async () => {
      await expect(User.query().with('comments', (q) => q.where('votes', '<', null))).rejects.toThrow(/"votes" < null/)
    })
    expect(eager.map((e) => e.sql).filter((sql) => /comments/.test(sql))).toEqual([])
  })
})
