import { beforeAll, expect, it } from 'vitest'
import { QuarryError, type QueryEvent, UnknownColumnError } from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'
import { createSchema, Post, User } from '../model/models.js'

forEachDialect('query builder: where', (ctx) => {
  beforeAll(async () => {
    await createSchema(ctx.db)
    await User.insert([
      { email: 'ann@x.io', name: 'Ann', age: 25, active: true },
      { email: 'bob@x.io', name: 'Bob', age: 41, active: false },
      { email: 'cy@x.io', name: null, age: 67, active: true },
      { email: 'dee@x.io', name: 'Dee', age: null, active: true },
      { email: 'ed@x.io', name: 'Ed', age: 17, active: false },
    ])
    const [ann, bob] = await User.query().orderBy('email').limit(2)
    await Post.insert([
      { authorId: ann!.id, title: 'One', slug: 'one', published: true },
      { authorId: ann!.id, title: 'Two', slug: 'two', published: false },
      { authorId: bob!.id, title: 'Three', slug: 'three', published: false },
    ])
  })

  const emails = async (query: PromiseLike<User[]>) => (await query).map((u) => u.email).sort()

  it('where with a value, an operator, an object; orWhere; whereNot', async () => {
    expect(await emails(User.query().where('name', 'Ann'))).toEqual(['ann@x.io'])
    expect(await emails(User.query().where('age', '>', 40))).toEqual(['bob@x.io', 'cy@x.io'])
    expect(await emails(User.query().where('age', '<=', 25).orWhere('email', 'cy@x.io'))).toEqual(['ann@x.io', 'cy@x.io', 'ed@x.io'])
    expect(await emails(User.query().where({ active: false, age: 17 }))).toEqual(['ed@x.io'])
    expect(await emails(User.query().whereNot('active', true))).toEqual(['bob@x.io', 'ed@x.io'])
    expect(await emails(User.query().where('age', '<>', 25).whereNotNull('age'))).toEqual(['bob@x.io', 'cy@x.io', 'ed@x.io'])
    expect(await emails(User.query().where('age', '=', 25).where('name', 'LIKE', 'A%'))).toEqual(['ann@x.io'])
  })

  it('nested groups: where((q) => …) keeps its own parentheses', async () => {
    const query = User.query().where('active', true).where((q) => q.where('age', '<', 30).orWhere('age', '>', 60))
    expect(await emails(query)).toEqual(['ann@x.io', 'cy@x.io'])
    expect(query.toSQL().sql).toMatch(/\(.+ < .+ or .+ > .+\)/)
    expect(await emails(User.query().where('active', false).orWhere((q) => q.whereNull('name').whereNotNull('age')))).toEqual(['bob@x.io', 'cy@x.io', 'ed@x.io'])
    expect(await emails(User.query().whereNot((q) => q.where('active', true).orWhere('age', '>', 40)))).toEqual(['ed@x.io'])
    expect(await emails(User.query().where(() => undefined).where('name', 'Ed'))).toEqual(['ed@x.io'])
  })

  it('null, in (values, empty, subquery), between, like, ilike', async () => {
    expect(await emails(User.query().whereNull('name'))).toEqual(['cy@x.io'])
    expect(await emails(User.query().whereNull('age').orWhereNull('name'))).toEqual(['cy@x.io', 'dee@x.io'])
    expect(await emails(User.query().where('name', null))).toEqual(['cy@x.io'])
    expect(await emails(User.query().whereIn('name', ['Ann', 'Ed']))).toEqual(['ann@x.io', 'ed@x.io'])
    expect(await emails(User.query().whereIn('name', []))).toEqual([])
    expect((await emails(User.query().whereNotIn('name', []))).length).toBe(5)
    expect(await emails(User.query().whereNotIn('age', [25, 41]))).toEqual(['cy@x.io', 'ed@x.io'])
    expect(await emails(User.query().whereIn('id', Post.query().where('published', false).select('authorId')))).toEqual(['ann@x.io', 'bob@x.io'])
    expect(await emails(User.query().whereBetween('age', [17, 41]))).toEqual(['ann@x.io', 'bob@x.io', 'ed@x.io'])
    expect(await emails(User.query().whereNotBetween('age', [18, 66]))).toEqual(['cy@x.io', 'ed@x.io'])
    expect(await emails(User.query().whereLike('email', '%e%@x.io'))).toEqual(['dee@x.io', 'ed@x.io'])
    expect(await emails(User.query().whereILike('name', 'a%'))).toEqual(['ann@x.io'])
    expect(await emails(User.query().whereILike('name', 'ANN').orWhereILike('name', 'bOB'))).toEqual(['ann@x.io', 'bob@x.io'])
    expect(await emails(User.query().where('name', 'not ilike', '%e%').whereNotNull('name'))).toEqual(['ann@x.io', 'bob@x.io'])
  })

  it('exists and column comparisons, across tables with property or column names', async () => {
    const withPosts = User.query().whereExists(Post.query().whereColumn('posts.authorId', 'users.id'))
    expect(await emails(withPosts)).toEqual(['ann@x.io', 'bob@x.io'])
    const published = User.query().whereExists(Post.query().whereColumn('posts.author_id', 'users.id').where('published', true))
    expect(await emails(published)).toEqual(['ann@x.io'])
    expect((await emails(User.query().whereNotExists(Post.query().whereColumn('posts.authorId', '=', 'users.id')))).length).toBe(3)
    expect(await User.query().whereColumn('createdAt', 'updatedAt').count()).toBe(5)
    expect(await User.query().whereColumn('createdAt', '<', 'updatedAt').count()).toBe(0)
  })

  it('whereRaw binds its values', async () => {
    expect(await emails(User.query().whereRaw('lower(email) = ?', ['ANN@X.IO'.toLowerCase()]))).toEqual(['ann@x.io'])
    expect(await emails(User.query().where('active', true).orWhereRaw('age < ?', [18]))).toEqual(['ann@x.io', 'cy@x.io', 'dee@x.io', 'ed@x.io'])
  })

  it('unknown columns throw UnknownColumnError with suggestions before any SQL is sent', async () => {
    const sent: QueryEvent[] = []
    const off = ctx.db.on('query', (e) => sent.push(e))
    try {
      const cases: Array<() => unknown> = [
        () => User.query().where('emial' as never, 'x'),
        () => User.query().orWhere('nmae' as never, 'x'),
        () => User.query().whereIn('agee' as never, [1]),
        () => User.query().whereNull('deleted' as never),
        () => User.query().orderBy('nope' as never),
        () => User.query().select('id', 'passwd' as never),
        () => User.query().where({ email: 'x', bogus: 1 } as never),
        () => User.query().whereColumn('users.nope', 'users.id'),
        () => User.query().where('email; drop table users' as never, 'x'),
        () => User.query().groupBy('x' as never),
      ]
      for (const run of cases) expect(run).toThrow(UnknownColumnError)
      expect(() => User.query().where('emial' as never, 'x')).toThrow(/User has no column or property "emial"; did you mean "email"/)
      expect(() => User.query().whereColumn('posts.titel', 'users.id')).toThrow(/Post has no column or property "posts.titel"; did you mean "posts.title"/)
      await expect(User.query().count('nope' as never)).rejects.toBeInstanceOf(UnknownColumnError)
      await expect(User.query().update({ nope: 1 } as never)).rejects.toBeInstanceOf(UnknownColumnError)
    } finally {
      off()
    }
    expect(sent).toEqual([])
  })

  it('bad operators and undefined values are refused before any SQL', async () => {
    expect(() => User.query().where('age', '=>' as never, 1)).toThrow(/Unknown comparison operator "=>"/)
    expect(() => User.query().where('age', 'or 1=1 --' as never, 1)).toThrow(QuarryError)
    expect(() => User.query().where('age', undefined as never)).toThrow(/undefined cannot be compared/)
    expect(() => User.query().whereIn('age', [1, undefined as never])).toThrow(/undefined/)
    expect(() => User.query().whereIn('age', 'abc' as never)).toThrow(/expects an array or a subquery/)
    expect(() => User.query().whereBetween('age', [1] as never)).toThrow(/\[low, high\]/)
    expect(() => User.query().where(42 as never, 1)).toThrow(/column name, an object or a callback/)
    expect(() => (User.query().where as (...args: unknown[]) => unknown).call(User.query(), 'age', '=', 1, 2)).toThrow(/got 4 arguments/)
  })

  it('a table that no model knows passes through as a quoted identifier', async () => {
    const sql = User.query().whereColumn('users.id', 'other_table.user_id').toSQL().sql
    expect(sql).toMatch(/["`]other_table["`]\.["`]user_id["`]/)
  })
})
