import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  defineFactory,
  Factory,
  Model,
  NotNullViolationError,
  QuarryError,
  RelationNotFoundError,
  UnknownColumnError,
} from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'
import {
  Article,
  ArticleFactory,
  Badge,
  BadgeFactory,
  Bio,
  BioFactory,
  createSchema,
  Label,
  LabelFactory,
  Member,
  MemberFactory,
  Note,
  NoteFactory,
  Picture,
  PictureFactory,
  rowCount,
  Team,
  TeamFactory,
  truncateAll,
} from './models.js'

describe('factories without a database', () => {
  it('make() builds unsaved models from the definition, states, sequence and overrides, in that order', () => {
    const member = MemberFactory.make()
    expect(member).toBeInstanceOf(Member)
    expect(member.$isPersisted).toBe(false)
    expect(member.email).toMatch(/^member\d+@example\.test$/)
    expect(typeof member.name).toBe('string')
    expect(member.active).toBe(true)

    const admin = MemberFactory.apply('admin', 'inactive').make({ email: 'ada@example.test' })
    expect(admin.role).toBe('admin')
    expect(admin.name).toMatch(/^Admin /)
    expect(admin.active).toBe(false)
    expect(admin.email).toBe('ada@example.test')

    const alternating = MemberFactory.sequence({ active: true }, { active: false }, ({ index }) => ({ name: `third ${index}` })).count(4).make()
    expect(alternating.map((m) => m.active)).toEqual([true, false, true, true])
    expect(alternating[2]!.name).toBe('third 2')
    // Overrides win over the sequence, the sequence over states.
    expect(MemberFactory.apply('inactive').sequence({ active: true }).make().active).toBe(true)
    expect(MemberFactory.sequence({ active: true }).make({ active: false }).active).toBe(false)
  })

  it('raw() gives the attributes; count(n) gives arrays; sequence numbers count up per definition', () => {
    const raw = MemberFactory.raw({ name: 'Ada' })
    expect(raw).toMatchObject({ name: 'Ada', active: true, role: 'member' })
    expect(raw).not.toBeInstanceOf(Model)
    const rows = MemberFactory.count(3).raw()
    expect(rows).toHaveLength(3)
    const numbers = rows.map((r) => Number(/member(\d+)@/.exec(r.email!)![1]))
    expect(numbers[1]).toBe(numbers[0]! + 1)
    expect(numbers[2]).toBe(numbers[0]! + 2)
    expect(MemberFactory.count(0).make()).toEqual([])
  })

  it('is immutable: each call returns a new factory and leaves the one it was called on as it was', () => {
    const three = MemberFactory.count(3)
    const admins = MemberFactory.apply('admin')
    expect(three).not.toBe(MemberFactory)
    expect(Array.isArray(MemberFactory.make())).toBe(false)
    expect(MemberFactory.make().role).toBe('member')
    expect(admins.make().role).toBe('admin')
    const extended = MemberFactory.state('guest', { role: 'guest' })
    expect(extended.apply('guest').make().role).toBe('guest')
    expect(() => MemberFactory.apply('guest' as never)).toThrow(/Member factory has no state "guest"; its states are: inactive, admin/)
  })

  it('Factory.seed(n) makes the data reproducible, sequence numbers included', () => {
    Factory.seed(42)
    const first = MemberFactory.count(3).raw()
    const articles = ArticleFactory.count(2).raw()
    Factory.seed(42)
    expect(MemberFactory.count(3).raw()).toEqual(first)
    expect(ArticleFactory.count(2).raw()).toEqual(articles)
    Factory.seed(7)
    expect(MemberFactory.count(3).raw().map((r) => r.name)).not.toEqual(first.map((r) => r.name))
  })

  it('make() makes owners and children too, and links them without saving anything', () => {
    const article = ArticleFactory.for(MemberFactory, 'author').make()
    expect(article.author).toBeInstanceOf(Member)
    expect(article.author!.$isPersisted).toBe(false)
    const member = MemberFactory.has(ArticleFactory.count(2), 'articles').has(BioFactory, 'bio').make()
    expect(member.articles).toHaveLength(2)
    expect(member.bio).toBeInstanceOf(Bio)
    expect(MemberFactory.hasAttached(BadgeFactory.count(2), { grantedBy: 1 }, 'badges').make().badges).toHaveLength(2)
  })

  it('runs afterMaking on make(), refuses an async one there, and never runs afterCreating', () => {
    const seen: string[] = []
    const made = MemberFactory.afterMaking((m) => seen.push(`made ${m.email}`)).afterCreating(() => seen.push('created')).make({ email: 'x@y.z' })
    expect(made.email).toBe('x@y.z')
    expect(seen).toEqual(['made x@y.z'])
    expect(() => MemberFactory.afterMaking(async () => {}).make()).toThrow(/afterMaking callback returned a promise, which make\(\) cannot wait for/)
  })

  it('refuses bad input with a QuarryError that says what was wrong', () => {
    expect(() => defineFactory({} as never, () => ({}))).toThrow(/defineFactory\(\) takes a model class/)
    expect(() => defineFactory(Member, null as never)).toThrow(/the definition must be a function/)
    expect(() => MemberFactory.count(-1)).toThrow(/count\(\) takes a whole number of at least 0, got -1/)
    expect(() => MemberFactory.count(1.5)).toThrow(QuarryError)
    expect(() => MemberFactory.sequence()).toThrow(/sequence\(\) needs at least one/)
    expect(() => MemberFactory.state('admin', { role: 'x' })).toThrow(/the state "admin" is already defined/)
    expect(() => MemberFactory.afterCreating('nope' as never)).toThrow(/afterCreating\(\) takes a function, got string/)
    expect(() => defineFactory(Member, () => ({ emial: 'x' }) as never).make()).toThrow(UnknownColumnError)
    expect(() => defineFactory(Member, () => null as never).make()).toThrow(/the definition must return an object of attributes, got null/)
    expect(() => defineFactory(Member, (async () => ({})) as never).make()).toThrow(/returned a promise/)

    // Relation names and kinds, for JavaScript callers (TypeScript refuses these at compile time).
    expect(() => MemberFactory.has(ArticleFactory, 'posts' as never)).toThrow(RelationNotFoundError)
    expect(() => MemberFactory.has(ArticleFactory, 'posts' as never)).toThrow(/Member has no relation "posts"; its relations are: team, articles, bio, badges, avatar/)
    expect(() => MemberFactory.has(TeamFactory, 'team' as never)).toThrow(/Member\.team is a belongsTo relation; has\(\) takes hasOne, hasMany, morphOne, morphMany relations\. Use for\(…, 'team'\)/)
    expect(() => ArticleFactory.for(MemberFactory, 'notes' as never)).toThrow(/Article\.notes is a morphMany relation; for\(\) takes belongsTo, morphTo relations\. Use has\(/)
    expect(() => MemberFactory.hasAttached(ArticleFactory, {}, 'articles' as never)).toThrow(/hasAttached\(\) takes belongsToMany, morphToMany, morphedByMany relations\. Use has\(/)
    expect(() => TeamFactory.has(ArticleFactory, 'articles' as never)).toThrow(/Team\.articles is a hasManyThrough relation; .*a through relation holds no rows of its own/)
    expect(() => ArticleFactory.for('someone' as never, 'author')).toThrow(/for\(\) takes a factory or a model, got string/)
    expect(() => MemberFactory.has(new Bio() as never, 'bio' as never)).toThrow(/Member\.bio: has\(\) takes a factory, got Bio/)
    expect(() => MemberFactory.hasAttached([], {}, 'badges')).toThrow(/hasAttached\(\) takes a factory or models, got an empty array/)
    expect(() => MemberFactory.hasAttached([new Bio()] as never, {}, 'badges' as never).make()).toThrow(/Member\.badges holds Badge models; hasAttached\(\) was given a Bio/)
    expect(() => MemberFactory.has(BioFactory, 'articles' as never).make()).toThrow(/Member\.articles holds Article models; has\(\) was given Bio/)
    expect(() => ArticleFactory.for(new Team() as never, 'author').make()).toThrow(/Article\.author holds Member models; for\(\) was given a Team/)
  })
})

forEachDialect('factories', (ctx) => {
  beforeAll(async () => {
    await createSchema(ctx.db)
  })
  beforeEach(async () => {
    await truncateAll(ctx.db)
  })

  const offs: Array<() => void> = []
  afterEach(() => {
    for (const off of offs.splice(0)) off()
  })

  /** The INSERT statements sent while `fn` runs. */
  async function inserts<T>(fn: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
    const statements: string[] = []
    const off = ctx.db.on('query', (e) => {
      if (/^\s*insert/i.test(e.sql)) statements.push(e.sql)
    })
    try {
      return { result: await fn(), statements }
    } finally {
      off()
    }
  }

  it('create() saves one model, count(n).create() many, each with its key, as the database has them', async () => {
    const one = await MemberFactory.create({ name: 'Ada' })
    expect(one).toBeInstanceOf(Member)
    expect(one.$isPersisted).toBe(true)
    expect(one.isDirty()).toBe(false)
    expect(typeof one.id).toBe('number')
    expect(one.createdAt).toBeInstanceOf(Date)
    const many = await MemberFactory.sequence(({ sequence }) => ({ name: `n${sequence}` })).count(60).create()
    expect(many).toHaveLength(60)
    expect(new Set(many.map((m) => m.id)).size).toBe(60)
    // Every key belongs to the row of the model that holds it.
    for (const member of many) {
      const row = await Member.findOrFail(member.id)
      expect([row.email, row.name, row.active]).toEqual([member.email, member.name, member.active])
    }
    expect(await rowCount(ctx.db, 'fx_members')).toBe(61)

    // Two runs at once: each model still holds the key of its own row.
    const runs = await Promise.all([MemberFactory.count(150).create(), MemberFactory.count(150).create()])
    const byId = new Map((await Member.query().select('id', 'email')).map((m) => [m.id, m.email]))
    for (const member of runs.flat()) expect(byId.get(member.id)).toBe(member.email)
    expect(byId.size).toBe(361)
  })

  it('batches the inserts where nothing listens and no afterCreating is set; saves one by one otherwise, events firing', async () => {
    // Keys come back through RETURNING, or as consecutive keys where the dialect knows them to be.
    const dialect = ctx.db.connection().dialect
    const returning = dialect.supports.returning || (await dialect.consecutiveInsertKeys?.(ctx.db.knex)) !== undefined
    const batched = await inserts(() => MemberFactory.count(20).create())
    expect(batched.statements).toHaveLength(returning ? 1 : 20)
    // Columns the definition left unset read what the database stored, as after create() (§8).
    for (const member of batched.result) {
      expect(member.teamId).toBeNull()
      expect(member.settings).toBeNull()
      expect(member.toJSON()).toMatchObject({ teamId: null, settings: null })
    }

    const seen: string[] = []
    offs.push(Member.on('creating', (m) => void seen.push(`creating ${m.email}`)))
    offs.push(Member.on('created', (m) => void seen.push(`created ${m.id}`)))
    const withEvents = await inserts(() => MemberFactory.count(3).create())
    expect(withEvents.statements).toHaveLength(3)
    expect(seen).toEqual(withEvents.result.flatMap((m) => [`creating ${m.email}`, `created ${m.id}`]))
    for (const off of offs.splice(0)) off()

    // An observer listens too (an afterCommit one included: its handlers still run).
    const observed: number[] = []
    const stop = Member.observe({ afterCommit: true, created: (m: Member) => void observed.push(m.id) })
    const withObserver = await inserts(() => MemberFactory.count(3).create())
    stop()
    expect(withObserver.statements).toHaveLength(3)
    expect(observed).toEqual(withObserver.result.map((m) => m.id))

    // Muted events count as nobody listening.
    offs.push(Member.on('saved', () => void seen.push('saved')))
    const muted = await inserts(() => Member.withoutEvents(() => MemberFactory.count(5).create()))
    expect(muted.statements).toHaveLength(returning ? 1 : 5)
    expect(seen).not.toContain('saved')

    const withCallback = await inserts(() => MemberFactory.count(4).afterCreating(async (m) => void seen.push(`after ${m.id}`)).create())
    expect(withCallback.statements).toHaveLength(4)
    expect(seen.filter((s) => s.startsWith('after '))).toEqual(withCallback.result.map((m) => `after ${m.id}`))
    // UUID keys are made here, so they batch on every database; json columns are cast on the way.
    const team = await TeamFactory.create()
    const teamless = await inserts(() => NoteFactory.count(5).create({ notableType: 'x', notableId: '00000000-0000-7000-8000-000000000000' }))
    expect(teamless.statements).toHaveLength(1)
    const configured = await MemberFactory.count(3).create({ settings: { theme: 'dark' }, teamId: team.id })
    expect((await Member.findOrFail(configured[2]!.id)).settings).toEqual({ theme: 'dark' })
  })

  it('a creating handler that cancels is an error, and nothing the run wrote stays', async () => {
    let calls = 0
    offs.push(Member.on('creating', () => (++calls === 3 ? false : undefined)))
    await expect(MemberFactory.count(4).create()).rejects.toThrow(/an event handler cancelled saving model 3 of 4; nothing was created/)
    expect(await rowCount(ctx.db, 'fx_members')).toBe(0)
  })

  it('a failed write leaves the database as it was, batched or not, children included', async () => {
    await MemberFactory.create()
    await expect(MemberFactory.sequence({}, { role: null as never }).count(4).create()).rejects.toBeInstanceOf(NotNullViolationError)
    expect(await rowCount(ctx.db, 'fx_members')).toBe(1)
    await expect(MemberFactory.count(2).has(BioFactory.sequence({}, { text: null as never }), 'bio').create()).rejects.toBeInstanceOf(NotNullViolationError)
    expect(await rowCount(ctx.db, 'fx_members')).toBe(1)
    expect(await rowCount(ctx.db, 'fx_bios')).toBe(0)
    // Unknown columns are refused before any SQL.
    const sent = await inserts(async () => {
      await expect(MemberFactory.create({ nickname: 'x' } as never)).rejects.toBeInstanceOf(UnknownColumnError)
    })
    expect(sent.statements).toEqual([])
  })

  it('has(): children through hasMany, hasOne, morphOne and morphMany, count per parent', async () => {
    const members = await MemberFactory.count(3)
      .has(ArticleFactory.count(2).has(NoteFactory.count(2), 'notes'), 'articles')
      .has(BioFactory, 'bio')
      .has(PictureFactory, 'avatar')
      .create()
    expect(await rowCount(ctx.db, 'fx_articles')).toBe(6)
    expect(await rowCount(ctx.db, 'fx_notes')).toBe(12)
    for (const member of members) {
      expect(member.articles).toHaveLength(2)
      expect(member.articles.every((a) => a.authorId === member.id && a.$isPersisted)).toBe(true)
      expect(member.bio!.memberId).toBe(member.id)
      expect(member.avatar).toMatchObject({ imageableId: member.id, imageableType: 'fx_members' })
      const loaded = await Member.query().with('articles.notes').with('bio').with('avatar').where('id', member.id).firstOrFail()
      expect(loaded.articles.map((a) => a.id).sort()).toEqual(member.articles.map((a) => a.id).sort())
      expect(loaded.articles.flatMap((a) => a.notes)).toHaveLength(4)
      expect(loaded.bio!.id).toBe(member.bio!.id)
      expect(loaded.avatar!.id).toBe(member.avatar!.id)
    }
    await expect(MemberFactory.has(BioFactory.count(2), 'bio').create()).rejects.toThrow(/Member\.bio is a hasOne relation: it holds one Bio per Member, so has\(\) takes a factory without count\(2\)/)
    expect(await rowCount(ctx.db, 'fx_members')).toBe(3)
  })

  it('for(): one owner per run from a factory, or an existing model, through belongsTo and morphTo', async () => {
    const articles = await ArticleFactory.count(3).for(MemberFactory.apply('admin'), 'author').create()
    expect(new Set(articles.map((a) => a.authorId)).size).toBe(1)
    const author = await Member.findOrFail(articles[0]!.authorId)
    expect(author.role).toBe('admin')
    expect(articles[0]!.author).toBe(articles[1]!.author)

    const existing = await MemberFactory.create()
    expect(ArticleFactory.for(existing, 'author').raw()).toMatchObject({ authorId: existing.id })
    expect(PictureFactory.for(existing, 'imageable').raw()).toMatchObject({ imageableType: 'fx_members', imageableId: existing.id })
    const picture = await PictureFactory.for(existing, 'imageable').create()
    expect(picture).toMatchObject({ imageableType: 'fx_members', imageableId: existing.id })
    const teamPicture = await PictureFactory.for(TeamFactory, 'imageable').create()
    const loaded = await Picture.query().with('imageable').where('id', teamPicture.id).firstOrFail()
    expect(loaded.imageable).toBeInstanceOf(Team)
    const note = await NoteFactory.for(articles[0]!, 'notable').create()
    expect((await note.load('notable')).notable!.id).toBe(articles[0]!.id)

    await expect(ArticleFactory.for(new Member(), 'author').create()).rejects.toThrow(/Article\.author: the Member given to for\(\) is not saved; save it first or pass a factory/)
  })

  it('hasAttached(): many-to-many (belongsToMany, morphToMany, morphedByMany) with pivot values', async () => {
    const members = await MemberFactory.count(2).hasAttached(BadgeFactory.count(2), { grantedBy: 7 }, 'badges').create()
    expect(await rowCount(ctx.db, 'fx_badges')).toBe(4)
    for (const member of members) {
      await member.load('badges')
      expect(member.badges).toHaveLength(2)
      expect(member.badges.map((b) => Number(b.$pivot!.grantedBy))).toEqual([7, 7])
    }
    const shared = await BadgeFactory.count(2).create()
    const perParent = await MemberFactory.count(2).hasAttached(shared, (m) => ({ grantedBy: m.id }), 'badges').create()
    for (const member of perParent) {
      const loaded = await Member.query().with('badges').where('id', member.id).firstOrFail()
      expect(loaded.badges.map((b) => b.id).sort()).toEqual(shared.map((b) => b.id).sort())
      expect(loaded.badges.every((b) => Number(b.$pivot!.grantedBy) === member.id)).toBe(true)
    }
    const article = await ArticleFactory.for(MemberFactory, 'author').hasAttached(LabelFactory.count(3), undefined, 'labels').create()
    expect((await article.load('labels')).labels).toHaveLength(3)
    const label = await LabelFactory.hasAttached(ArticleFactory.count(2).for(members[0]!, 'author'), {}, 'articles').create()
    expect((await label.load('articles')).articles).toHaveLength(2)
    await expect(MemberFactory.hasAttached(BadgeFactory, { nope: 1 } as never, 'badges').create()).rejects.toThrow(QuarryError)
    await expect(MemberFactory.hasAttached(new Badge(), {}, 'badges').create()).rejects.toThrow(/the Badge given to hasAttached\(\) is not saved/)
  })

  it('runs afterMaking before the save and afterCreating after the children, awaiting both', async () => {
    const order: string[] = []
    const member = await MemberFactory.has(BioFactory, 'bio')
      .afterMaking(async (m) => {
        await new Promise((r) => setTimeout(r, 1))
        order.push(`making persisted=${m.$isPersisted}`)
      })
      .afterCreating(async (m) => {
        // Inside the run's transaction: models see it without passing it.
        order.push(`creating bio=${m.bio!.$isPersisted} rows=${await Bio.query().count()}`)
      })
      .create()
    expect(order).toEqual(['making persisted=false', 'creating bio=true rows=1'])
    expect(member.$isPersisted).toBe(true)
  })

  it('slugs and other per-row work still happen: models with a generated slug are saved one by one', async () => {
    const articles = await ArticleFactory.count(3).for(MemberFactory, 'author').create({ title: 'Same Title' })
    expect(articles.map((a) => a.slug)).toEqual(['same-title', 'same-title-2', 'same-title-3'])
    expect(await Article.query().count()).toBe(3)
    expect(await Label.query().count()).toBe(0)
    expect(await Note.query().count()).toBe(0)
    expect(await Badge.query().count()).toBe(0)
  })
})
