import { beforeAll, expect, it } from 'vitest'
import { QuarryError, type QueryEvent } from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'
import { createSchema, Post, User } from '../model/models.js'

forEachDialect('query builder: select, order, join, group, paging, locks, mass writes', (ctx) => {
  beforeAll(async () => {
    await createSchema(ctx.db)
    await User.insert([
      { email: 'ann@x.io', name: 'Ann', age: 25, active: true },
      { email: 'bob@x.io', name: 'Bob', age: 41, active: false },
      { email: 'cy@x.io', name: 'Cy', age: 67, active: true },
      { email: 'dee@x.io', name: 'Dee', age: 25, active: true },
    ])
    const ann = (await User.findBy('email', 'ann@x.io'))!
    const bob = (await User.findBy('email', 'bob@x.io'))!
    await Post.insert([
      { authorId: ann.id, title: 'A1', slug: 'a1', published: true },
      { authorId: ann.id, title: 'A2', slug: 'a2', published: true },
      { authorId: bob.id, title: 'B1', slug: 'b1', published: false },
    ])
  })

  it('orderBy in either direction, any case; a bad direction is refused before any SQL', async () => {
    expect((await User.query().orderBy('age', 'desc').orderBy('email')).map((u) => u.email)).toEqual(['cy@x.io', 'bob@x.io', 'ann@x.io', 'dee@x.io'])
    expect((await User.query().orderBy('age', 'DESC').orderBy('email', 'Asc' as never)).map((u) => u.age)).toEqual([67, 41, 25, 25])
    expect((await User.query().orderBy('name', 'desc').reorder().orderBy('name')).map((u) => u.name)).toEqual(['Ann', 'Bob', 'Cy', 'Dee'])
    expect((await User.query().orderByRaw('age * ? desc', [-1]).orderBy('email')).map((u) => u.email)).toEqual(['ann@x.io', 'dee@x.io', 'bob@x.io', 'cy@x.io'])
    const sent: QueryEvent[] = []
    const off = ctx.db.on('query', (e) => sent.push(e))
    try {
      expect(() => User.query().orderBy('age', 'sideways' as never)).toThrow(QuarryError)
      expect(() => User.query().orderBy('age', 'desc; drop table users' as never)).toThrow(/Invalid sort direction/)
    } finally {
      off()
    }
    expect(sent).toEqual([])
  })

  it('limit, offset and forPage; bad counts are refused', async () => {
    expect((await User.query().orderBy('email').limit(2).offset(1)).map((u) => u.email)).toEqual(['bob@x.io', 'cy@x.io'])
    expect((await User.query().orderBy('email').forPage(2, 3)).map((u) => u.email)).toEqual(['dee@x.io'])
    expect(() => User.query().limit(-1)).toThrow(/limit\(\) must be an integer of at least 0/)
    expect(() => User.query().offset(1.5)).toThrow(QuarryError)
    expect(() => User.query().limit('5' as never)).toThrow(QuarryError)
    expect(() => User.query().forPage(0, 10)).toThrow(/page must be/)
  })

  it('select picks columns; aliases and raw expressions land in $extras', async () => {
    const [ann] = await User.query().select('id', 'email').where('email', 'ann@x.io')
    expect(ann!.email).toBe('ann@x.io')
    // @ts-expect-error name was not selected: reading it is a compile error (issue 17)
    expect(ann!.name).toBeUndefined()
    expect(ann!.toJSON()).toEqual({ id: ann!.id, email: 'ann@x.io' })
    const [aliased] = await User.query().select({ mail: 'email' }).selectRaw('age * ? as double_age', [2]).where('email', 'bob@x.io')
    expect(Number(aliased!.$extras.double_age)).toBe(82)
    expect(aliased!.$extras.mail).toBe('bob@x.io')
    expect(aliased!.toJSON()).toMatchObject({ mail: 'bob@x.io' })
    expect((await User.query().distinct('age').orderBy('age')).map((u) => u.age)).toEqual([25, 41, 67])
  })

  it('extras named __proto__ or constructor stay ordinary values, on every row', async () => {
    // Only Quarry's libSQL client hands a `__proto__` column over: better-sqlite3 and pg make it
    // the row's prototype while building the row, and mysql2 refuses the statement.
    const proto = ctx.dialect === 'libsql'
    const names = proto ? ['__proto__', 'constructor'] : ['constructor']
    const users = await User.query().select('id', 'email').selectRaw(names.map(() => "'x' as ??").join(', '), names).orderBy('email')
    expect(users).toHaveLength(4)
    for (const user of users) {
      expect(Object.getPrototypeOf(user.$extras)).toBe(Object.prototype)
      expect(user.$extras.constructor).toBe('x')
      if (proto) expect(Object.getOwnPropertyDescriptor(user.$extras, '__proto__')?.value).toBe('x')
      expect(Object.keys(user.$attributes)).toEqual(['id', 'email'])
    }
    expect(users.map((u) => u.email)).toEqual(['ann@x.io', 'bob@x.io', 'cy@x.io', 'dee@x.io'])
  })

  it('joins with qualified property or column names; groupBy and having', async () => {
    const authors = await User.query()
      .join('posts', 'posts.authorId', 'users.id')
      .where('posts.published', true)
      .select('users.id', 'users.email')
      .distinct()
    expect(authors.map((u) => u.email)).toEqual(['ann@x.io'])
    const left = await User.query().leftJoin('posts', 'users.id', '=', 'posts.author_id').whereNull('posts.id').select('users.email').orderBy('users.email')
    expect(left.map((u) => u.email)).toEqual(['cy@x.io', 'dee@x.io'])
    const grouped = await User.query().select('age').selectRaw('count(*) as ??', ['n']).groupBy('age').having('age', '<', 50).orderBy('age')
    expect(grouped.map((u) => [u.age, Number(u.$extras.n)])).toEqual([[25, 2], [41, 1]])
    const many = await User.query().select('age').groupBy('age').havingRaw('count(*) > ?', [1])
    expect(many.map((u) => u.age)).toEqual([25])
    expect(() => User.query().join('posts', 'posts.nope', 'users.id')).toThrow(/Post has no column/)
  })

  it('first, pluck, exists, clone, toSQL', async () => {
    expect((await User.query().orderBy('age', 'desc').first())!.email).toBe('cy@x.io')
    expect(await User.query().where('age', 99).first()).toBeNull()
    expect((await User.query().orderBy('email').pluck('email'))).toEqual(['ann@x.io', 'bob@x.io', 'cy@x.io', 'dee@x.io'])
    expect(await User.query().where('age', 41).exists()).toBe(true)
    expect(await User.query().where('age', 42).exists()).toBe(false)
    const base = User.query().where('active', true)
    const narrower = base.clone().where('age', '>', 30)
    expect(await base.count()).toBe(3)
    expect(await narrower.count()).toBe(1)
    const { sql, bindings } = User.query().where('email', 'x@y.z').limit(3).toSQL()
    expect(sql).toMatch(/select \* from ["`]users["`] where/)
    expect(bindings).toEqual(['x@y.z', 3])
  })

  it('locks: forUpdate/forShare run in a transaction on every dialect (no-ops where rows cannot be locked)', async () => {
    const sent: string[] = []
    const off = ctx.db.on('query', (e) => sent.push(e.sql))
    try {
      await ctx.db.transaction(async () => {
        expect((await User.query().where('email', 'ann@x.io').forUpdate().first())!.name).toBe('Ann')
        expect(await User.query().forShare().count()).toBe(4)
      })
    } finally {
      off()
    }
    const locked = sent.some((sql) => /for update/i.test(sql))
    expect(locked).toBe(ctx.db.connection().dialect.supports.rowLocks)
  })

  it('mass update and delete return affected counts and leave other rows alone', async () => {
    await ctx.db.transaction(async () => {
      expect(await User.query().where('age', 25).update({ active: false, name: 'Twenty-five' })).toBe(2)
      expect((await User.query().where('active', false).orderBy('email')).map((u) => u.name)).toEqual(['Twenty-five', 'Bob', 'Twenty-five'])
      expect(await Post.query().where('published', false).delete()).toBe(1)
      expect(await Post.query().count()).toBe(2)
      expect(await User.query().where('age', 1000).update({ name: 'nobody' })).toBe(0)
      await expect(Post.query().update({ nope: 1 } as never)).rejects.toThrow(/no column or property "nope"/)
      const { RoleUser } = await import('../model/models.js')
      await expect(RoleUser.query().update({})).rejects.toThrow(/at least one column/)
      throw new Error('rollback')
    }).catch((e: Error) => expect(e.message).toBe('rollback'))
    expect(await Post.query().count()).toBe(3)
  })
})
