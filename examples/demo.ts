// `npm run demo`: Quarry on the embedded default (a SQLite file, no server), showing what works.
import 'reflect-metadata'
import { connect, MassAssignmentError, Migrator, type QueryEvent, StaleModelError, UniqueViolationError } from '../src/index.js'
import { Comment, Post, Role, User } from './models.js'
import { migrations } from './schema.js'

const log: QueryEvent[] = []
const db = await connect() // DATABASE_URL, else ./quarry.sqlite
db.on('query', (event) => log.push(event))
const { driver, write } = db.connection().config
console.log(`Connected to ${driver} at ${write.label}`)

// Migrations. refresh() rolls back what an earlier run applied and applies again (never fresh():
// that would drop every table of a DATABASE_URL database).
const migrated = await new Migrator(db, { bundled: migrations }).refresh()
console.log(`Migrations: ${migrated.migrations.map((m) => `${m.direction} ${m.name}`).join(', ')}`)

// Events: a creating listener normalises every new user's email.
User.on('creating', (user) => {
  user.email = user.email.toLowerCase()
})

// A transaction with a savepoint: every model call inside joins it without being passed it, and
// the inner failure undoes only the inner work.
await db.transaction(async () => {
  const ada = await User.create({ email: 'Ada@Example.com', name: 'Ada', age: 36, settings: { theme: 'dark' } })
  await User.createMany([
    { email: 'alan@example.com', name: 'Alan', age: 41 },
    { email: 'grace@example.com', name: 'Grace', age: 29 },
  ])
  await db
    .transaction(async () => {
      await Post.create({ authorId: ada.id, title: 'Lost in a savepoint', published: false })
      throw new Error('changed my mind')
    })
    .catch((error: Error) => console.log(`Savepoint rolled back: ${error.message}`))
  await Post.create({ authorId: ada.id, title: 'Notes on the Engine', published: true })
  await Post.create({ authorId: ada.id, title: 'Notes on the Engine', published: false })
})
const ada = await User.query().where('email', 'ada@example.com').firstOrFail()
console.log(`Created ${await User.query().count()} users; Ada's email was lowercased: ${ada.email}`)
console.log(`Slugs made unique: ${(await Post.query().orderBy('createdAt')).map((p) => p.slug).join(', ')}`)

// Queries: scopes, typed columns, aggregates, pagination.
const older = await User.query().scope('active').scope('olderThan', 30).orderBy('age', 'desc')
console.log(`Active users over 30: ${older.map((u) => `${u.name} (${u.age})`).join(', ')}`)
const page = await User.query().orderBy('id').paginate(1, 2)
console.log(`Page 1 of ${page.meta.lastPage}: ${page.data.map((u) => u.name).join(', ')} (total ${page.meta.total})`)
console.log(`Average age: ${(await User.query().avg('age'))?.toFixed(1) ?? 'none'}`)

// Dirty tracking and optimistic locking.
const post = await Post.query().where('published', true).firstOrFail()
const stale = await Post.findOrFail(post.id)
post.title = 'Notes on the Analytical Engine'
console.log(`Dirty before save: ${JSON.stringify(post.getDirty())}`)
await post.save()
stale.title = 'A concurrent edit'
await stale.save().catch((error) => {
  if (!(error instanceof StaleModelError)) throw error
  console.log(`Caught ${error.name}: the stale copy wrote nothing (version is ${post.version})`)
})

// Relations: eager loading is one query per relation, whatever the number of parents.
const [admin, editor] = await Role.createMany([{ name: 'admin' }, { name: 'editor' }])
await ada.related('roles').attach([admin!.id, editor!.id], { grantedBy: ada.id })
await ada.related('roles').sync([admin!.id])
await post.related('comments').create({ body: 'Brilliant.' })
const statementsBefore = log.length
const authors = await User.query()
  .with('posts.comments')
  .with('roles')
  .withCount('posts', (q) => q.where('published', true), 'publishedCount')
  .whereHas('posts')
const withPosts = authors[0]!
console.log(
  `Eager-loaded ${authors.length} author in ${log.length - statementsBefore} queries: ${withPosts.name} has ` +
    `${withPosts.posts.length} posts (${withPosts.$extras.publishedCount} published), roles ` +
    `${withPosts.roles.map((r) => `${r.name} (granted by ${String(r.$pivot?.grantedBy)})`).join(', ')}, ` +
    `and ${withPosts.posts.flatMap((p) => p.comments).length} comment`,
)
const comment = await Comment.query().with('commentable').firstOrFail()
console.log(`The comment belongs to the ${comment.commentableType} "${comment.commentable?.title}"`)
try {
  void (await Post.query().firstOrFail()).author
} catch (error) {
  console.log(`Reading an unloaded relation: ${(error as Error).message}`)
}

// Bad input gets a clear error and loses nothing.
await User.create({ email: 'ADA@example.com' }).catch((error) => {
  if (!(error instanceof UniqueViolationError)) throw error
  console.log(`Caught ${error.name} on ${error.table}.${error.columns?.join(',')}`)
})
try {
  new User().fill({ email: 'x@example.com', active: false } as never)
} catch (error) {
  if (!(error instanceof MassAssignmentError)) throw error
  console.log(`Caught ${error.name}: ${error.message}`)
}

// Soft deletes.
const grace = await User.query().where('email', 'grace@example.com').firstOrFail()
await grace.delete()
console.log(`After soft-deleting Grace: ${await User.query().count()} users, ${await User.query().withTrashed().count()} with trashed`)
await grace.restore()

// Serialisation: camelCase keys, hidden columns left out.
console.log('Ada as JSON:', JSON.stringify((await User.findOrFail(ada.id)).serialize({ fields: ['id', 'email', 'name', 'settings'] })))

const slowest = log.reduce((a, b) => (b.durationMs > a.durationMs ? b : a))
console.log(`\nQuery log: ${log.length} statements, every value bound; the slowest took ${slowest.durationMs.toFixed(2)} ms: ${slowest.sql.slice(0, 70)}`)
await db.close()
