// `npm run demo`: Quarry on the embedded default (a SQLite file, no server), showing what works.
import 'reflect-metadata'
import { connect, Migration, Migrator, type QueryEvent, UniqueViolationError } from '../src/index.js'

// The demo's schema, as a migration (bundled here; an app keeps them in database/migrations).
class CreateDemoAccounts extends Migration {
  async up() {
    await this.schema.createTable('demo_accounts', (t) => {
      t.increments('id')
      t.string('email').unique()
      t.integer('balance').default(0)
    })
  }
  async down() {
    await this.schema.dropTable('demo_accounts')
  }
}

const log: QueryEvent[] = []
const db = await connect() // DATABASE_URL, else ./quarry.sqlite
const off = db.on('query', (event) => log.push(event))
const { driver, write } = db.connection().config
console.log(`Connected to ${driver} at ${write.label}`)

// refresh(): roll back what an earlier demo run applied, then apply again (never fresh(): that
// would drop every table of a DATABASE_URL database).
const migrator = new Migrator(db, { bundled: { '2026_01_01_000000_create_demo_accounts': CreateDemoAccounts } })
const migrated = await migrator.refresh()
console.log(`Migrations: ${migrated.migrations.map((m) => `${m.direction} ${m.name}`).join(', ')}`)

// A transaction with a savepoint: the inner failure undoes only the inner work.
await db.transaction(async () => {
  await db.table('demo_accounts').insert([
    { email: 'ada@example.com', balance: 100 },
    { email: 'alan@example.com', balance: 50 },
  ])
  await db
    .transaction(async () => {
      await db.table('demo_accounts').where('email', 'ada@example.com').decrement('balance', 500)
      throw new Error('insufficient funds')
    })
    .catch((error: Error) => console.log(`Savepoint rolled back: ${error.message}`))
})
console.log('Balances after the transaction:', await db.raw('select email, balance from demo_accounts order by id'))

// A constraint error, the same class on every dialect.
try {
  await db.table('demo_accounts').insert({ email: 'ada@example.com' })
} catch (error) {
  if (!(error instanceof UniqueViolationError)) throw error
  console.log(`Caught ${error.name} on ${error.table}.${error.columns?.join(',')}`)
}

off()
console.log(`\nQuery log (${log.length} statements):`)
for (const event of log) {
  console.log(`  [${event.role}] ${event.durationMs.toFixed(2).padStart(6)} ms  ${event.sql}${event.error ? `  -> ${event.error.name}` : ''}`)
}
await db.close()
