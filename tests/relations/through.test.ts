import { beforeAll, beforeEach, expect, it } from 'vitest'
import { forEachDialect } from '../support/databases.js'
import { Car, CarOwner, Country, createSchema, Mechanic, Post, recording, truncateAll, User } from './models.js'

forEachDialect('relations: hasManyThrough and hasOneThrough', (ctx) => {
  beforeAll(async () => {
    await createSchema(ctx.db)
  })
  beforeEach(async () => {
    await truncateAll(ctx.db)
  })

  async function seed() {
    const fr = await Country.create({ name: 'France' })
    const uk = await Country.create({ name: 'UK' })
    await Country.create({ name: 'Empty' })
    const ada = await User.create({ name: 'Ada', countryId: uk.id })
    const bob = await User.create({ name: 'Bob', countryId: fr.id })
    const cy = await User.create({ name: 'Cy', countryId: fr.id })
    await Post.create({ authorId: ada.id, title: 'Engines', published: true })
    await Post.create({ authorId: bob.id, title: 'Bread', published: true })
    await Post.create({ authorId: cy.id, title: 'Cheese', published: false })
    await Post.create({ authorId: cy.id, title: 'Wine', published: true })
    return { fr, uk, ada, bob, cy }
  }

  it('hasManyThrough: the far rows of each parent in one query; the key it was reached by stays hidden', async () => {
    await seed()
    const { result: countries, queries } = await recording(ctx.db, () => Country.query().orderBy('name').with('posts', (q) => q.orderBy('title')))
    expect(queries).toHaveLength(2)
    expect(countries.map((c) => [c.name, c.posts.map((p) => p.title)])).toEqual([
      ['Empty', []],
      ['France', ['Bread', 'Cheese', 'Wine']],
      ['UK', ['Engines']],
    ])
    const post = countries[1]!.posts[0]!
    expect(post).toBeInstanceOf(Post)
    expect(post.$extras).toEqual({})
    expect(Object.keys(post.toJSON())).not.toContain('quarry_through_key')
  })

  it('soft-deleted rows in between lead nowhere; soft-deleted far rows are left out', async () => {
    const { cy } = await seed()
    await cy.delete()
    const [fr] = await Country.query().where('name', 'France').with('posts')
    expect(fr!.posts.map((p) => p.title)).toEqual(['Bread'])
    await (await Post.query().where('title', 'Bread').firstOrFail()).delete()
    await fr!.load('posts')
    expect(fr!.posts).toEqual([])
  })

  it('related().query() through one parent, with constraints that cannot escape it', async () => {
    const { fr } = await seed()
    const published = await fr.related('posts').query().where('published', true).orderBy('title')
    expect(published.map((p) => p.title)).toEqual(['Bread', 'Wine'])
    const either = await fr.related('posts').query().where('title', 'Engines').orWhere('title', 'Wine')
    expect(either.map((p) => p.title)).toEqual(['Wine'])
    expect(await fr.related('posts').query().count()).toBe(3)
  })

  it('hasOneThrough: one far row or null; a soft-deleted row in between leads nowhere', async () => {
    const [m1, m2, m3] = await Promise.all([Mechanic.create({ name: 'M1' }), Mechanic.create({ name: 'M2' }), Mechanic.create({ name: 'M3' })])
    const car1 = await m1!.related('cars').create({ model: 'A' })
    const car2 = await m2!.related('cars').create({ model: 'B' })
    await CarOwner.createMany([{ carId: car1.id, name: 'Olive' } as never, { carId: car2.id, name: 'Pat' } as never])
    await (car2 as Car).delete()
    const mechanics = await Mechanic.query().orderBy('name').with('carOwner')
    expect(mechanics.map((m) => m.carOwner?.name ?? null)).toEqual(['Olive', null, null])
    expect(mechanics[0]!.carOwner).toBeInstanceOf(CarOwner)
    expect(m3!.id).toBeGreaterThan(0)
  })

  it('through relations are read-only', async () => {
    const { fr } = await seed()
    const client = fr.related('posts') as unknown as { create(a: object): Promise<unknown> }
    await expect(client.create({ title: 'x' })).rejects.toThrow(/Country.posts is a hasManyThrough relation; create\(\) is for/)
  })
})
