import { beforeAll, expect, it } from 'vitest'
import { InvalidCursorError, type ModelQuery, QuarryError, type QueryEvent } from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'
import { createSchema, Post, User } from '../model/models.js'

const PEOPLE = 23

forEachDialect('pagination, chunks and cursors', (ctx) => {
  beforeAll(async () => {
    await createSchema(ctx.db)
    // Ages repeat (non-unique sort keys) and some are null.
    await User.insert(
      Array.from({ length: PEOPLE }, (_, i) => ({
        email: `u${String(i).padStart(2, '0')}@x.io`,
        age: i % 5 === 4 ? null : i % 4,
        active: i % 3 !== 0,
      })),
    )
  })

  const ids = (users: User[]) => users.map((u) => u.id)

  it('paginate(): data and the meta shape, with the total counted once', async () => {
    const sent: string[] = []
    const off = ctx.db.on('query', (e) => sent.push(e.sql))
    const page = await User.query().orderBy('id').paginate(2, 10).finally(off)
    expect(sent).toHaveLength(2)
    expect(page.data).toHaveLength(10)
    expect(page.data[0]).toBeInstanceOf(User)
    expect(page.meta).toEqual({ total: PEOPLE, perPage: 10, currentPage: 2, lastPage: 3, firstPage: 1, hasMorePages: true })
    const last = await User.query().orderBy('id').paginate(3, 10)
    expect(last.data).toHaveLength(3)
    expect(last.meta.hasMorePages).toBe(false)
    const beyond = await User.query().orderBy('id').paginate(9, 10)
    expect(beyond.data).toEqual([])
    expect(beyond.meta).toMatchObject({ total: PEOPLE, currentPage: 9, lastPage: 3, hasMorePages: false })
    const none = await User.query().where('age', 99).paginate(1, 10)
    expect(none.meta).toEqual({ total: 0, perPage: 10, currentPage: 1, lastPage: 1, firstPage: 1, hasMorePages: false })
    const filtered = await User.query().where('active', true).orderBy('id').paginate(1, 5)
    expect(filtered.meta.total).toBe(await User.query().where('active', true).count())
    expect(JSON.parse(JSON.stringify(filtered)).data[0].email).toBe(filtered.data[0]!.email)
  })

  it('paginate() refuses a page or size below 1 before any SQL', async () => {
    await expect(User.query().paginate(0, 10)).rejects.toThrow(QuarryError)
    await expect(User.query().paginate(1, 0)).rejects.toThrow(/perPage must be/)
    await expect(User.query().paginate(1.5, 10)).rejects.toThrow(QuarryError)
  })

  /** Every page forward from the start, then every page back from the end. */
  async function walk(make: () => ModelQuery<User>, perPage: number) {
    const forward: number[][] = []
    let page = await make().cursorPaginate(perPage)
    expect(page.prevCursor).toBeNull()
    forward.push(ids(page.data))
    while (page.nextCursor) {
      page = await make().cursorPaginate(perPage, page.nextCursor)
      forward.push(ids(page.data))
    }
    const backward: number[][] = []
    backward.unshift(ids(page.data))
    while (page.prevCursor) {
      page = await make().cursorPaginate(perPage, page.prevCursor)
      backward.unshift(ids(page.data))
    }
    return { forward, backward }
  }

  it('cursorPaginate(): every row exactly once, forwards and backwards, with non-unique, nullable and descending keys', async () => {
    const orderings: Array<[string, () => ModelQuery<User>]> = [
      ['id', () => User.query().orderBy('id')],
      ['age asc', () => User.query().orderBy('age')],
      ['age desc', () => User.query().orderBy('age', 'desc')],
      ['active, age desc', () => User.query().orderBy('active').orderBy('age', 'desc')],
      ['no order (the key)', () => User.query()],
    ]
    for (const [label, make] of orderings) {
      const expected = ids(await make().orderBy('id', label.includes('desc') ? 'desc' : 'asc'))
      for (const perPage of [1, 4, 7, PEOPLE, PEOPLE + 5]) {
        const { forward, backward } = await walk(make, perPage)
        expect(forward.flat(), `${label} / ${perPage}`).toEqual(expected)
        expect(backward, `${label} / ${perPage} backwards`).toEqual(forward)
        expect(forward.every((p) => p.length <= perPage)).toBe(true)
      }
    }
  })

  it('cursorPaginate() honours conditions, and a filtered last page has no next cursor', async () => {
    const active = await User.query().where('active', true).orderBy('age').cursorPaginate(100)
    expect(active.data.every((u) => u.active)).toBe(true)
    expect(active.nextCursor).toBeNull()
    expect(active.prevCursor).toBeNull()
  })

  it('an invalid cursor is InvalidCursorError and sends no query', async () => {
    const first = await User.query().orderBy('age').cursorPaginate(5)
    const cursor = first.nextCursor!
    const [body, sum] = cursor.split('.')
    const tampered = `${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body!, 'base64url').toString()), v: [3, 1] })).toString('base64url')}.${sum}`
    const sent: QueryEvent[] = []
    const off = ctx.db.on('query', (e) => sent.push(e))
    try {
      for (const bad of ['garbage', '', 'a.b', `${cursor}x`, tampered, cursor.replace('.', '..'), 42 as never]) {
        await expect(User.query().orderBy('age').cursorPaginate(5, bad)).rejects.toBeInstanceOf(InvalidCursorError)
      }
      await expect(User.query().orderBy('age', 'desc').cursorPaginate(5, cursor)).rejects.toThrow(/another model or ordering/)
      await expect(User.query().orderBy('email').cursorPaginate(5, cursor)).rejects.toThrow(/another model or ordering/)
      await expect(Post.query().cursorPaginate(5, cursor)).rejects.toThrow(InvalidCursorError)
      await expect(User.query().orderByRaw('age').cursorPaginate(5)).rejects.toThrow(/orderByRaw/)
    } finally {
      off()
    }
    expect(sent).toEqual([])
  })

  it('chunk(): batches in order, honouring limit and offset; returning false stops', async () => {
    const seen: number[][] = []
    await User.query().orderBy('age').chunk(5, (users, index) => {
      expect(index).toBe(seen.length)
      seen.push(ids(users))
    })
    expect(seen.map((c) => c.length)).toEqual([5, 5, 5, 5, 3])
    expect(seen.flat()).toEqual(ids(await User.query().orderBy('age').orderBy('id')))
    const limited: number[] = []
    await User.query().orderBy('id').offset(2).limit(7).chunk(3, (users) => void limited.push(...ids(users)))
    expect(limited).toEqual(ids(await User.query().orderBy('id').offset(2).limit(7)))
    let calls = 0
    await User.query().chunk(4, () => ++calls < 2 && undefined)
    expect(calls).toBe(2)
    const raw: number[] = []
    await User.query().orderByRaw('age is null, age').orderBy('id').chunk(6, (users) => void raw.push(...ids(users)))
    expect(raw.sort((a, b) => a - b)).toEqual(ids(await User.query().orderBy('id')))
    await expect(User.query().chunk(0, () => undefined)).rejects.toThrow(/chunk\(\) size/)
  })

  it('chunk() with keyset batches is safe when the callback changes the rows it filters on', async () => {
    await ctx.db.transaction(async () => {
      const before = await User.query().where('active', true).count()
      let seen = 0
      await User.query().where('active', true).chunk(3, async (users) => {
        seen += users.length
        for (const user of users) {
          user.active = false
          await user.save()
        }
      })
      // Offset batches would have skipped rows here: each batch shrinks what the next one sees.
      expect(seen).toBe(before)
      expect(await User.query().where('active', true).count()).toBe(0)
      throw new Error('rollback')
    }).catch((e: Error) => expect(e.message).toBe('rollback'))
  })

  it('cursor(): an async iterator over every row, queries allowed inside the loop', async () => {
    const seen: number[] = []
    for await (const user of User.query().orderBy('age', 'desc').cursor({ batchSize: 4 })) {
      expect(user).toBeInstanceOf(User)
      if (seen.length === 3) expect(await User.query().count()).toBe(PEOPLE)
      seen.push(user.id)
    }
    expect(seen).toEqual(ids(await User.query().orderBy('age', 'desc').orderBy('id', 'desc')))
    let taken = 0
    for await (const _ of User.query().cursor()) if (++taken === 2) break
    expect(taken).toBe(2)
    expect(() => User.query().cursor({ batchSize: 0 })).toThrow(/batchSize/)
  })
})
