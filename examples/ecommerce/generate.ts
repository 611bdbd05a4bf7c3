// Writes the next migration of the example from its models, as `npx quarry migrate:generate` does
// in a project (here the migrations import Quarry from the repository's source):
//   node --import ./scripts/register-ts.js examples/ecommerce/generate.ts add_gift_wrap_to_orders
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect, describeChange, Migrator, planSchema, writeMigration } from '../../src/index.js'
import { models } from './models.js'

const name = process.argv[2]
if (!name || !/^[a-z0-9_]+$/.test(name)) throw new Error('usage: generate.ts <snake_case_name>')
const directory = join(import.meta.dirname, 'migrations')
const scratch = mkdtempSync(join(tmpdir(), 'quarry-ecommerce-'))
const db = await connect({ url: `sqlite:${join(scratch, 'shop.db')}` })
try {
  await new Migrator(db, { directory }).latest()
  const { changes, warnings } = await planSchema(db.connection(), models)
  for (const warning of warnings) console.log(`warning: ${warning}`)
  if (!changes.length) {
    console.log('Nothing to generate: the migrations match the models.')
  } else {
    const p = (n: number) => String(n).padStart(2, '0')
    const d = new Date()
    const stamp = `${d.getUTCFullYear()}_${p(d.getUTCMonth() + 1)}_${p(d.getUTCDate())}_${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`
    if (readdirSync(directory).some((f) => f.startsWith(stamp))) throw new Error('a migration of this second exists; wait a second')
    const file = join(directory, `${stamp}_${name}.ts`)
    writeFileSync(file, writeMigration(changes, '../../../src/index.js'))
    console.log(`Created ${file}`)
    for (const change of changes) console.log(`  ${describeChange(change)}`)
  }
} finally {
  await db.close()
  rmSync(scratch, { recursive: true, force: true })
}
