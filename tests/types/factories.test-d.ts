// Type tests for factories, checked by `tsc --noEmit` (part of `npm test`). Each `@ts-expect-error`
// fails the check if the line it guards starts to compile: state and relation names stay checked.
import { expectTypeOf } from 'vitest'
import { defineFactory, Factory, type FactoryAttributes, type FactoryContext } from '../../src/index.js'
import {
  Article,
  ArticleFactory,
  Badge,
  BadgeFactory,
  Bio,
  BioFactory,
  Label,
  LabelFactory,
  Member,
  MemberFactory,
  Note,
  NoteFactory,
  PictureFactory,
  Team,
  TeamFactory,
} from '../factories/models.js'

declare const member: Member
declare const article: Article
declare const badges: Badge[]

// What make(), create() and raw() give: one model, or an array after count().
expectTypeOf(MemberFactory.make()).toEqualTypeOf<Member>()
expectTypeOf(MemberFactory.count(3).make()).toEqualTypeOf<Member[]>()
expectTypeOf(MemberFactory.create()).toEqualTypeOf<Promise<Member>>()
expectTypeOf(MemberFactory.count(3).create()).toEqualTypeOf<Promise<Member[]>>()
expectTypeOf(MemberFactory.raw()).toEqualTypeOf<FactoryAttributes<Member>>()
expectTypeOf(MemberFactory.count(2).apply('admin').raw()).toEqualTypeOf<Array<FactoryAttributes<Member>>>()
expectTypeOf(MemberFactory.make({ name: 'Ada' }).name).toEqualTypeOf<string>()

// The definition and states see the model's attributes and the context.
defineFactory(Member, (ctx) => {
  expectTypeOf(ctx).toEqualTypeOf<FactoryContext>()
  expectTypeOf(ctx.sequence).toEqualTypeOf<number>()
  return { email: ctx.faker.internet.email() }
})
// @ts-expect-error not a column of Member
defineFactory(Member, () => ({ emial: 'x' }))
// @ts-expect-error a column with a value of the wrong type
defineFactory(Member, () => ({ active: 'yes' }))
// @ts-expect-error a model class is needed
defineFactory(Date, () => ({}))
MemberFactory.state('vip', (attributes) => ({ name: `VIP ${attributes.name}` }))
// @ts-expect-error overrides are attributes of the model
MemberFactory.make({ title: 'x' })
// @ts-expect-error sequence items are attributes of the model
MemberFactory.sequence({ published: true })

// State names accumulate in the factory's type.
MemberFactory.apply('admin', 'inactive')
const withGuest = MemberFactory.state('guest', { role: 'guest' })
withGuest.apply('guest', 'admin')
// @ts-expect-error a state the factory does not declare
MemberFactory.apply('guest')
// @ts-expect-error a misspelt state
MemberFactory.apply('admn')
// @ts-expect-error TeamFactory declares no states
TeamFactory.apply('admin')

// has(): hasOne / hasMany / morphOne / morphMany, holding the factory's model.
MemberFactory.has(ArticleFactory.count(3), 'articles').has(BioFactory, 'bio').has(PictureFactory, 'avatar')
ArticleFactory.has(NoteFactory.count(2), 'notes')
// @ts-expect-error no such relation
MemberFactory.has(ArticleFactory, 'posts')
// @ts-expect-error a belongsTo takes for(), not has()
MemberFactory.has(TeamFactory, 'team')
// @ts-expect-error articles holds Article models, not Bio
MemberFactory.has(BioFactory, 'articles')
// @ts-expect-error a many-to-many takes hasAttached()
MemberFactory.has(BadgeFactory, 'badges')
// @ts-expect-error a through relation holds no rows of its own
TeamFactory.has(ArticleFactory, 'articles')

// for(): belongsTo / morphTo, from a factory or a model.
ArticleFactory.for(MemberFactory, 'author').for(member, 'author')
NoteFactory.for(ArticleFactory, 'notable').for(article, 'notable')
PictureFactory.for(TeamFactory, 'imageable').for(member, 'imageable')
// @ts-expect-error a hasMany takes has(), not for()
ArticleFactory.for(NoteFactory, 'notes')
// @ts-expect-error author is a Member, not a Team
ArticleFactory.for(TeamFactory, 'author')
// @ts-expect-error imageable is a Member or a Team, not an Article
PictureFactory.for(article, 'imageable')

// hasAttached(): belongsToMany / morphToMany / morphedByMany, pivot values or a function of the parent.
MemberFactory.hasAttached(BadgeFactory.count(2), { grantedBy: 1 }, 'badges')
MemberFactory.hasAttached(badges, (parent) => ({ grantedBy: parent.id }), 'badges')
ArticleFactory.hasAttached(LabelFactory, undefined, 'labels')
LabelFactory.hasAttached(ArticleFactory, {}, 'articles')
// @ts-expect-error a hasMany takes has()
MemberFactory.hasAttached(ArticleFactory, {}, 'articles')
// @ts-expect-error labels holds Label models
ArticleFactory.hasAttached(BadgeFactory, {}, 'labels')

// Callbacks receive the factory's model; statics.
MemberFactory.afterMaking((m) => expectTypeOf(m).toEqualTypeOf<Member>())
ArticleFactory.afterCreating(async (a) => expectTypeOf(a).toEqualTypeOf<Article>())
Factory.seed(42)
expectTypeOf(MemberFactory.count(2)).toEqualTypeOf<Factory<Member, 'inactive' | 'admin', true>>()
expectTypeOf<typeof TeamFactory>().toEqualTypeOf<Factory<Team>>()
void [Bio, Label, Note]
