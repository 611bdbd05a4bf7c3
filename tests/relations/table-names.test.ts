import { beforeAll, beforeEach, expect, it } from 'vitest'
import {
  belongsTo,
  type BelongsTo,
  belongsToMany,
  type BelongsToMany,
  column,
  hasMany,
  type HasMany,
  Model,
  table,
  UnknownColumnError,
} from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'
import { recording } from './models.js'

/**
 * Table names in relation constraints (API §8): a many-to-many onto its own model keeps its pivot
 * addressable by the pivot's own name (`sf_follows.since`) in whereHas, withCount, eager and lazy
 * constraints and related().query(), nested levels included; and a qualified column naming a
 * table that is not part of the query is an UnknownColumnError before any SQL.
 */

@table('sf_users')
class Person extends Model {
  @column.primary() declare id: number
  @column() declare name: string
  /** Who follows this person: the pivot's followee_id is this person. */
  @belongsToMany(() => Person, { pivotTable: 'sf_follows', pivotForeignKey: 'followee_id', pivotRelatedForeignKey: 'follower_id', pivotColumns: ['since'] })
  declare followers: BelongsToMany<Person>
  @belongsToMany(() => Person, { pivotTable: 'sf_follows', pivotForeignKey: 'follower_id', pivotRelatedForeignKey: 'followee_id', pivotColumns: ['since'] })
  declare following: BelongsToMany<Person>
  @hasMany(() => Article, { foreignKey: 'authorId' }) declare articles: HasMany<Article>

  static fillable = ['name']
}

@table('sf_articles')
class Article extends Model {
  @column.primary() declare id: number
  @column() declare authorId: number
  @column() declare title: string
  @belongsTo(() => Person, { foreignKey: 'authorId' }) declare author: BelongsTo<Person>

  static fillable = ['authorId', 'title']
}

forEachDialect('relations: table names in constraints', (ctx) => {
  beforeAll(async () => {
    await ctx.db.knex.schema.createTable('sf_users', (t) => {
      t.increments('id')
      t.string('name').notNullable()
    })
    await ctx.db.knex.schema.createTable('sf_follows', (t) => {
      t.integer('follower_id').notNullable()
      t.integer('followee_id').notNullable()
      t.integer('since').notNullable()
      t.primary(['follower_id', 'followee_id'])
    })
    await ctx.db.knex.schema.createTable('sf_articles', (t) => {
      t.increments('id')
      t.integer('author_id').notNullable()
      t.string('title').notNullable()
    })
  })
  beforeEach(async () => {
    for (const name of ['sf_follows', 'sf_articles', 'sf_users']) await ctx.db.knex(name).delete()
  })

  /** Ada follows Bob (since 2020) and Cy (2024); Bob follows Cy (2021); Cy follows nobody. Each writes one article. */
  async function seed() {
    const ada = await Person.create({ name: 'Ada' })
    const bob = await Person.create({ name: 'Bob' })
    const cy = await Person.create({ name: 'Cy' })
    await ada.related('following').attach({ [bob.id]: { since: 2020 }, [cy.id]: { since: 2024 } })
    await bob.related('following').attach({ [cy.id]: { since: 2021 } })
    for (const person of [ada, bob, cy]) await Article.create({ authorId: person.id, title: `by ${person.name}` })
    return { ada, bob, cy }
  }

  const titles = (articles: Article[]) => articles.map((a) => a.title).sort()
  const names = (people: Person[]) => people.map((p) => p.name).sort()

  it('whereHas through a self many-to-many names the pivot by its table: articles whose author Ada follows', async () => {
    const { ada, bob } = await seed()
    const followed = await Article.query().whereHas('author.followers', (f) => f.where('sf_follows.follower_id', ada.id))
    expect(titles(followed)).toEqual(['by Bob', 'by Cy'])
    const byBob = await Article.query().whereHas('author.followers', (f) => f.where('sf_follows.follower_id', bob.id))
    expect(titles(byBob)).toEqual(['by Cy'])
    const recent = await Person.query().whereHas('followers', (f) => f.where('sf_follows.since', '>=', 2021))
    expect(names(recent)).toEqual(['Cy'])
    // A nested group and whereDoesntHave name it the same way.
    const grouped = await Person.query().whereHas('followers', (f) => f.where((g) => g.where('sf_follows.since', 2020).orWhere('sf_follows.since', 2021)))
    expect(names(grouped)).toEqual(['Bob', 'Cy'])
    const without = await Person.query().whereDoesntHave('followers', (f) => f.where('sf_follows.since', '<', 2022))
    expect(names(without)).toEqual(['Ada'])
  })

  it('two levels of the same pivot: each constraint names its own level\'s pivot', async () => {
    const { ada, cy } = await seed()
    // People followed by someone who is followed by Ada since before 2022: Cy (Bob, whom Ada follows since 2020, follows Cy).
    const nested = await Person.query().whereHas('followers.followers', (f) => f.where('sf_follows.since', '<', 2022).where('sf_follows.follower_id', ada.id))
    expect(names(nested)).toEqual(['Cy'])
    const counted = await Person.query().orderBy('id').withCount('followers.followers', (f) => f.where('sf_follows.since', '<', 2022))
    expect(counted.map((p) => p.$extras.followersFollowersCount)).toEqual([0, 0, 1])
    const all = await Person.query().orderBy('id').withCount('followers.followers')
    expect(all.map((p) => p.$extras.followersFollowersCount)).toEqual([0, 0, 1])
    void cy
  })

  it('withCount, eager and lazy constraints and related().query() name the pivot by its table', async () => {
    const { ada, bob } = await seed()
    const counted = await Person.query().orderBy('id').withCount('following', (f) => f.where('sf_follows.since', '>', 2020), 'recent')
    expect(counted.map((p) => p.$extras.recent)).toEqual([1, 1, 0])
    const loaded = await Person.query().orderBy('id').with('following', (f) => f.where('sf_follows.since', '>', 2020).orderBy('sf_follows.since'))
    expect(loaded.map((p) => names(p.following))).toEqual([['Cy'], ['Cy'], []])
    await ada.load('followers', (f) => f.where('sf_follows.since', 0))
    expect(ada.followers).toEqual([])
    const direct = await bob.related('followers').query().where('sf_follows.since', 2020)
    expect(names(direct)).toEqual(['Ada'])
    // The enclosing query's table is there for a correlated condition.
    const own = await Article.query().whereHas('author', (a) => a.whereColumn('sf_users.id', 'sf_articles.author_id').where('sf_articles.title', 'by Ada'))
    expect(titles(own)).toEqual(['by Ada'])
    // A join in the constraint adds its table.
    const joined = await Person.query().orderBy('id').with('following', (f) => f.join('sf_articles', 'sf_articles.author_id', 'sf_users.id').where('sf_articles.title', 'by Cy'))
    expect(joined.map((p) => names(p.following))).toEqual([['Cy'], ['Cy'], []])
  })

  it('a qualified column naming no table of the query is UnknownColumnError, before any SQL', async () => {
    const { ada, bob } = await seed()
    const { queries } = await recording(ctx.db, async () => {
      const attempts: Array<() => unknown> = [
        () => Article.query().whereHas('author.followers', (f) => f.where('sf_folows.follower_id', ada.id)),
        () => Article.query().whereHas('author.followers', (f) => f.where('sf_users.nope', ada.id)),
        () => Person.query().whereHas('followers', (f) => f.where('sf_articles.title', 'x')),
        () => Person.query().whereHas('followers', (f) => f.where((g) => g.where('other.x', 1))),
        () => Person.query().withCount('following', (f) => f.where('follows.since', 2020)),
        () => Person.query().withCount('articles.author', (a) => a.where('sf_follows.since', 1)),
        () => Person.query().with('following', (f) => f.orderBy('sf_followz.since')),
        () => Person.query().with('articles', (a) => a.where('sf_follows.since', 2020)),
        () => bob.related('followers').query().where('sf_articles.title', 'x'),
        () => bob.related('articles').query().whereColumn('sf_articles.id', 'sf_users.id'),
        () => ada.load('followers', (f) => f.where('users.name', 'x')),
      ]
      for (const attempt of attempts) {
        let caught: unknown
        try {
          await attempt()
        } catch (error) {
          caught = error
        }
        expect(caught, `attempt ${attempts.indexOf(attempt)}: ${String(caught)}`).toBeInstanceOf(UnknownColumnError)
      }
    })
    // Only the parents of the two eager loads were read (an eager constraint runs once they are).
    expect(queries.map((q) => q.sql.replace(/[`"]/g, ''))).toEqual(['select * from sf_users', 'select * from sf_users'])
    // Thrown where the name is given, saying which tables the query has.
    expect(() => Person.query().whereHas('followers', (f) => f.where('sf_articles.title', 'x'))).toThrow(
      /"sf_articles\.title" names the table "sf_articles", which is not part of this query \(it has: quarry_r1, sf_follows, sf_users\)/,
    )
  })

  it('a raw join lets names through (its tables are not known), and the SQL is the judge', async () => {
    await seed()
    const people = await Person.query().orderBy('id').with('following', (f) =>
      f.joinRaw('join sf_articles a on a.author_id = sf_users.id').where('a.title', 'by Bob'),
    )
    expect(people.map((p) => names(p.following))).toEqual([['Bob'], [], []])
  })
})
