// Quarry as a user installs it: the tarball `npm pack` makes, in a new project.
// - The README quick start runs as written, top to bottom, with the tsconfig it shows (issue 13,
//   item 15).
// - `npx quarry db:seed` and `migrate` run seeders and migrations that use a model imported from
//   'quarry' on the CLI's connection, from a packed install and from a linked checkout (item 16).
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { forEachDialect } from '../support/databases.js'
import { installProject, linkedProject, packQuarry, REPO, run, writeFiles } from '../support/packed-install.js'

const SETUP_MS = 600_000
const STEP_MS = 120_000

/** The fenced blocks of the README's quick start, by the file named on their first line. */
function quickStart(): { packageJson: Record<string, unknown>; files: Record<string, string>; expected: string } {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8')
  const start = readme.indexOf('## Quick start')
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1))
  const blocks = [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, body: m[2]! }))
  const named = (first: RegExp) => {
    const block = blocks.find((b) => first.test(b.body.split('\n')[0]!))
    if (!block) throw new Error(`the README's quick start has no block starting with ${first}`)
    return block.body
  }
  const packageJson = JSON.parse(named(/^\/\/ package\.json/).split('\n').slice(1).join('\n')) as Record<string, unknown>
  const run = blocks.find((b) => b.lang === 'sh' && b.body.includes('npm start'))!
  return {
    packageJson,
    files: { 'tsconfig.json': named(/^\/\/ tsconfig\.json/), 'src/app.ts': named(/^\/\/ src\/app\.ts/) },
    expected: /#\s*(.+)$/m.exec(run.body)![1]!.trim(),
  }
}

const guide = quickStart()
let project = ''
let staged = ''
const made: string[] = []

beforeAll(() => {
  const packed = packQuarry()
  staged = packed.staged
  made.push(join(packed.tarball, '..'))
  project = installProject(packed.tarball, guide.packageJson, { typescript: true })
  made.push(project)
  writeFiles(project, guide.files)
}, SETUP_MS)

afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true })
})

describe('the README quick start, in a new project with the packed tarball', () => {
  it('the installed package carries its build, its CLI and no sources', () => {
    const installed = join(project, 'node_modules/quarry')
    expect(existsSync(join(installed, 'dist/index.js'))).toBe(true)
    expect(existsSync(join(installed, 'dist/index.d.ts'))).toBe(true)
    expect(existsSync(join(installed, 'src'))).toBe(false)
    expect(existsSync(join(project, 'node_modules/.bin/quarry'))).toBe(true)
    // better-sqlite3 was not compiled again: the seeded copy is still there.
    expect(existsSync(join(project, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'))).toBe(true)
  })

  it('compiles with the tsconfig shown and runs as written on the default SQLite file', () => {
    const build = run(project, 'npm', ['run', 'build'])
    expect(build.status, build.output).toBe(0)
    const start = run(project, 'npm', ['start', '--silent'], { DATABASE_URL: undefined })
    expect(start.status, start.output).toBe(0)
    expect(start.stdout.trim()).toBe(guide.expected)
    expect(existsSync(join(project, 'quarry.sqlite'))).toBe(true)
    rmSync(join(project, 'quarry.sqlite'))
  }, STEP_MS)

  it('without experimentalDecorators the same files do not compile (the tsconfig is needed)', () => {
    const tsc = run(project, 'npx', ['--offline', 'tsc', '--noEmit', '-p', '.', '--experimentalDecorators', 'false'])
    expect(tsc.status).not.toBe(0)
    expect(tsc.stdout).toMatch(/error TS\d+/)
  }, STEP_MS)
})

/** A model in the user's project, imported by a seeder and a migration run by the CLI. */
const CLI_FILES: Record<string, string> = {
  'quarry.config.ts': `import { defineConfig } from 'quarry'

export default defineConfig({
  connection: process.env.DATABASE_URL ?? 'sqlite:./quarry.sqlite',
  migrations: { directory: 'database/migrations' },
  seeders: { directory: 'database/seeders' },
})
`,
  'app/models/note.ts': `import { column, Model, table } from 'quarry'

@table('cli_notes')
export class Note extends Model {
  @column.primary() declare id: number
  @column() declare body: string
  static fillable = ['body']
}
`,
  'database/migrations/2026_01_01_000000_create_cli_notes.ts': `import { Migration } from 'quarry'

export default class extends Migration {
  async up() {
    await this.schema.createTable('cli_notes', (t) => {
      t.id()
      t.string('body')
    })
  }
  async down() {
    await this.schema.dropTable('cli_notes')
  }
}
`,
  'database/migrations/2026_01_02_000000_first_note.ts': `import { Migration } from 'quarry'
import { Note } from '../../app/models/note.js'

export default class extends Migration {
  async up() {
    await Note.create({ body: 'from a migration' })
  }
  async down() {
    await Note.query().where('body', 'from a migration').delete()
  }
}
`,
  'database/seeders/database-seeder.ts': `import { Seeder } from 'quarry'
import { Note } from '../../app/models/note.js'

export default class DatabaseSeeder extends Seeder {
  async run() {
    await Note.create({ body: 'from a seeder' })
  }
}
`,
}

forEachDialect('the CLI runs seeders and migrations that use models', (ctx) => {
  const bodies = async () => (await ctx.db.table('cli_notes').orderBy('id').pluck('body')).map(String)
  const reset = async () => {
    await ctx.db.raw('drop table if exists cli_notes')
    await ctx.db.raw('drop table if exists quarry_migrations')
  }

  it('from a packed install: npx quarry migrate, then db:seed', async () => {
    writeFiles(project, CLI_FILES)
    const env = { DATABASE_URL: ctx.target.url }
    const migrate = run(project, 'npx', ['--offline', 'quarry', 'migrate'], env)
    expect(migrate.status, migrate.output).toBe(0)
    const seed = run(project, 'npx', ['--offline', 'quarry', 'db:seed'], env)
    expect(seed.status, seed.output).toBe(0)
    expect(seed.output).not.toMatch(/No database connected/)
    expect(await bodies()).toEqual(['from a migration', 'from a seeder'])
    await reset()
  }, STEP_MS)

  it('from a linked checkout (src/ beside its build): the CLI and the models share one connection', async () => {
    const linked = linkedProject(staged)
    made.push(linked)
    writeFiles(linked, CLI_FILES)
    const env = { DATABASE_URL: ctx.target.url }
    const bin = join(linked, 'node_modules/quarry/bin/quarry.js')
    const migrate = run(linked, process.execPath, [bin, 'migrate'], env)
    expect(migrate.status, migrate.output).toBe(0)
    const seed = run(linked, process.execPath, [bin, 'db:seed'], env)
    expect(seed.status, seed.output).toBe(0)
    expect(await bodies()).toEqual(['from a migration', 'from a seeder'])
    await reset()
  }, STEP_MS)

  it('the quick start runs on this database through DATABASE_URL', () => {
    if (!existsSync(join(project, 'dist/app.js'))) expect(run(project, 'npm', ['run', 'build']).status).toBe(0)
    const start = run(project, 'npm', ['start', '--silent'], { DATABASE_URL: ctx.target.url })
    expect(start.status, start.output).toBe(0)
    expect(start.stdout.trim()).toBe(guide.expected)
  }, STEP_MS)
})
