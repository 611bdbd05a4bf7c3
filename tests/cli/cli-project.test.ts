import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { forEachDialect } from '../support/databases.js'

const BIN = resolve(import.meta.dirname, '../../bin/quarry.js')
const PKG = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string; dependencies: Record<string, string> }

interface Result {
  code: number | null
  stdout: string
  stderr: string
  ms: number
}

/** `quarry …` as a user runs it, in `cwd`, without colours; `input` is piped to its stdin. */
function quarry(cwd: string, args: string[], env: Record<string, string | undefined> = {}, input?: string): Promise<Result> {
  const childEnv: Record<string, string | undefined> = { ...process.env, NODE_ENV: 'development', NO_COLOR: '1', FORCE_COLOR: undefined, DATABASE_URL: undefined, ...env }
  for (const key of Object.keys(childEnv)) if (childEnv[key] === undefined) delete childEnv[key]
  const started = Date.now()
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: childEnv as NodeJS.ProcessEnv })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  if (input !== undefined) child.stdin.end(input)
  else child.stdin.end()
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started })))
}

const temp = (label: string) => mkdtempSync(join(tmpdir(), `quarry-${label}-`))
const made: string[] = []
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true })
})

const DRIVER_PACKAGES = { sqlite: 'better-sqlite3', libsql: '@libsql/client', postgres: 'pg', mysql: 'mysql2' } as const

// Each test spawns the CLI several times; on a loaded machine one spawn can take seconds.
const SPAWNS = { timeout: 180_000 }

describe.concurrent('quarry init and the model commands, without a database', () => {
  it('init writes a project into an empty folder: config, tsconfig with decorators, models/, a migration, the driver', SPAWNS, async () => {
    const dir = temp('init')
    made.push(dir)
    const r = await quarry(dir, ['init', '--driver', 'postgres'])
    expect(r).toMatchObject({ code: 0, stderr: '' })
    expect(r.stdout).toMatch(/Created quarry\.config\.ts\nCreated tsconfig\.json\nCreated models\/user\.ts\nCreated database\/migrations\/\d{4}_\d\d_\d\d_\d{6}_create_users_table\.ts/)
    expect(r.stdout).toContain(`Added quarry@^${PKG.version}, pg@${PKG.dependencies.pg} to package.json`)
    const config = readFileSync(join(dir, 'quarry.config.ts'), 'utf8')
    expect(config).toContain("connection: 'postgres://")
    expect(config).toContain("models: { directory: 'models' }")
    expect(config).toContain("factories: { directory: 'database/factories' }")
    const tsconfig = JSON.parse(readFileSync(join(dir, 'tsconfig.json'), 'utf8')) as { compilerOptions: Record<string, unknown> }
    expect(tsconfig.compilerOptions).toMatchObject({ experimentalDecorators: true, emitDecoratorMetadata: true })
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>
    expect(pkg).toMatchObject({ type: 'module', dependencies: { quarry: `^${PKG.version}`, pg: PKG.dependencies.pg } })
    expect(readFileSync(join(dir, 'models/user.ts'), 'utf8')).toContain("@table('users')\nexport class User extends Model {")
  })

  it('init refuses to overwrite anything and writes nothing; it keeps an existing package.json', SPAWNS, async () => {
    const dir = temp('init-busy')
    made.push(dir)
    writeFileSync(join(dir, 'tsconfig.json'), '{ "mine": true }\n')
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'mine', dependencies: { express: '^5.0.0' } }))
    const refused = await quarry(dir, ['init'])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('quarry init writes nothing over existing files, and these exist: tsconfig.json. Run it in an empty folder, or move them away.')
    expect(refused.stderr).not.toMatch(/\n\s+at /)
    expect(readdirSync(dir).sort()).toEqual(['package.json', 'tsconfig.json'])
    expect(readFileSync(join(dir, 'tsconfig.json'), 'utf8')).toBe('{ "mine": true }\n')

    rmSync(join(dir, 'tsconfig.json'))
    const ok = await quarry(dir, ['init', '--driver', 'libsql'])
    expect(ok).toMatchObject({ code: 0, stderr: '' })
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; dependencies: Record<string, string> }
    expect(pkg.name).toBe('mine')
    expect(pkg.dependencies).toEqual({ express: '^5.0.0', quarry: `^${PKG.version}`, '@libsql/client': PKG.dependencies['@libsql/client'] })

    const again = await quarry(dir, ['init', '--driver', 'libsql'])
    expect(again.code).toBe(1)
    expect(again.stderr).toMatch(/these exist: quarry\.config\.ts, tsconfig\.json, models\/user\.ts, database\/migrations\/\d{4}_\d\d_\d\d_\d{6}_create_users_table\.ts\./)
  })

  it('colours only when asked (a terminal, or FORCE_COLOR), and never with NO_COLOR', SPAWNS, async () => {
    const dirs = [temp('colour-forced'), temp('colour-none'), temp('colour-piped')]
    made.push(...dirs)
    const [forced, refused, piped] = await Promise.all([
      quarry(dirs[0]!, ['init'], { NO_COLOR: undefined, FORCE_COLOR: '1' }),
      quarry(dirs[1]!, ['init'], { NO_COLOR: '1', FORCE_COLOR: '1' }),
      quarry(dirs[2]!, ['init'], { NO_COLOR: undefined }),
    ])
    expect(forced.stdout).toContain('\u001b[32mCreated\u001b[39m quarry.config.ts')
    for (const r of [refused, piped]) {
      expect(r.code).toBe(0)
      expect(r.stdout).toContain('Created quarry.config.ts')
      expect(r.stdout).not.toContain('\u001b[')
    }
  })

  it('init names a driver it does not know and a package.json it cannot read', SPAWNS, async () => {
    const dir = temp('init-bad')
    made.push(dir)
    const badDriver = await quarry(dir, ['init', '--driver', 'oracle'])
    expect(badDriver.code).toBe(1)
    expect(badDriver.stderr).toContain("option '--driver <name>' argument 'oracle' is invalid. Allowed choices are sqlite, libsql, postgres, mysql.")
    writeFileSync(join(dir, 'package.json'), '{ not json')
    const badPackage = await quarry(dir, ['init'])
    expect(badPackage.code).toBe(1)
    expect(badPackage.stderr).toMatch(/package\.json is not valid JSON \(.*\); fix it, then run quarry init again/)
    expect(readdirSync(dir)).toEqual(['package.json'])
  })

  it('lists the new commands and options in its help; db:wipe keeps the production guard', SPAWNS, async () => {
    const dir = temp('help')
    made.push(dir)
    const [help, migrateHelp, wipe] = await Promise.all([
      quarry(dir, ['--help']),
      quarry(dir, ['migrate', '--help']),
      quarry(dir, ['db:wipe'], { NODE_ENV: 'production', DATABASE_URL: `sqlite:${join(dir, 'kept.db')}` }),
    ])
    for (const command of ['init', 'db:wipe', 'model:show', 'model:prune', 'repl']) expect(help.stdout).toContain(`  ${command} `)
    for (const option of ['--step', '--pretend', '--dry-run']) expect(migrateHelp.stdout).toContain(option)
    expect(wipe.code).toBe(1)
    expect(wipe.stderr).toContain('Refusing to run db:wipe with NODE_ENV=production: it drops every table, view and type. Add --force if you mean it.')
    expect(existsSync(join(dir, 'kept.db'))).toBe(false)
  })

  it('model:show, model:prune and repl say where the models directory should be when it is missing', SPAWNS, async () => {
    const dir = temp('no-models')
    made.push(dir)
    writeFileSync(join(dir, 'quarry.config.mjs'), "export default { connection: 'sqlite::memory:', models: { directory: 'app/models' } }\n")
    const results = await Promise.all([quarry(dir, ['model:show', 'User']), quarry(dir, ['model:prune']), quarry(dir, ['repl'], {}, '.exit\n')])
    for (const r of results) {
      expect(r.code).toBe(1)
      expect(r.stderr).toContain('The models directory app/models does not exist: set models: { directory } in quarry.config.ts, or create a model with: npx quarry make:model User')
    }
  })

  it("model:show says so when the model's table is not in the database, and when a model file does not load", SPAWNS, async () => {
    const dir = temp('ghost')
    made.push(dir)
    mkdirSync(join(dir, 'models'))
    writeFileSync(join(dir, 'quarry.config.mjs'), "export default { connection: 'sqlite::memory:', models: { directory: 'models' } }\n")
    writeFileSync(join(dir, 'models/ghost.ts'), "import { column, Model, table } from 'quarry'\n\n@table('ghosts')\nexport class Ghost extends Model {\n  @column.primary() declare id: number\n}\n")
    const missing = await quarry(dir, ['model:show', 'Ghost'])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain(`Ghost's table ghosts is not in the database of connection "default"; run: npx quarry migrate`)
    writeFileSync(join(dir, 'models/broken.ts'), "export const x = (\n")
    const broken = await quarry(dir, ['model:show', 'Ghost'])
    expect(broken.code).toBe(1)
    expect(broken.stderr).toMatch(/models\/broken\.ts could not be loaded: /)
  })
})

const POST = `import { belongsTo, type BelongsTo, column, Model, table } from 'quarry'
import { User } from './user.js'

@table('posts')
export class Post extends Model {
  @column.primary() declare id: number
  @column() declare userId: number
  @column() declare title: string
  @column.decimal({ scale: 2 }) declare price: string
  @belongsTo(() => User, { foreignKey: 'userId' }) declare author: BelongsTo<User>
}
`

const OBSERVED = `
class UserObserver {
  created() {}
  deleting() {}
}
User.observe(UserObserver)
User.on('saving', function lowerCaseEmail(user: User) {
  user.email = user.email.toLowerCase()
})
`

const SESSION = `import { column, Model, type ModelQuery, table } from 'quarry'

@table('sessions')
export class Session extends Model {
  static prunable = (q: ModelQuery<Session>) => q.where('expired', true)
  @column.primary() declare id: number
  @column.boolean() declare expired: boolean
}

@table('audit_lines')
export class AuditLine extends Model {
  static massPrunable = true
  static prunable = (q: ModelQuery<AuditLine>) => q.where('level', 'debug')
  @column.primary() declare id: number
  @column() declare level: string
}
`

const migration = (name: string, up: string, down: string) => `import { Migration } from 'quarry'

export default class extends Migration {
  async up() {
    ${up}
  }

  async down() {
    ${down}
  }
}
`

forEachDialect('a project made by quarry init', (ctx) => {
  let dir: string
  let env: Record<string, string>
  const tables = async () => (await ctx.db.schema.getTables()).map((t) => t.name)

  beforeAll(async () => {
    dir = temp(`project-${ctx.dialect}`)
    made.push(dir)
    env = { DATABASE_URL: ctx.target.url }
  })

  it('init, then migrate runs at once; migrate --step gives each migration its own batch; --pretend changes nothing', { timeout: 240_000 }, async () => {
    const init = await quarry(dir, ['init', '--driver', ctx.dialect])
    expect(init).toMatchObject({ code: 0, stderr: '' })
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).dependencies[DRIVER_PACKAGES[ctx.dialect]]).toBeDefined()
    const first = await quarry(dir, ['migrate'], env)
    expect(first.stderr).toBe('')
    expect(first.code).toBe(0)
    expect(first.stdout).toMatch(/Migrated\s+\d{4}_\d\d_\d\d_\d{6}_create_users_table \((\d+ ms|\d+\.\d s)\)/)
    expect(await tables()).toContain('users')
    expect((await ctx.db.schema.getColumns('users')).map((c) => c.name)).toEqual(['id', 'email', 'name', 'active', 'settings', 'created_at', 'updated_at'])

    const migrations = join(dir, 'database/migrations')
    writeFileSync(join(migrations, '2100_01_01_000000_create_posts_table.ts'), migration('posts',
      "await this.schema.createTable('posts', (t) => { t.id(); t.foreignId('user_id').constrained().cascadeOnDelete(); t.string('title'); t.decimal('price', 8, 2).defaultTo(0) })",
      "await this.schema.dropTable('posts')"))
    writeFileSync(join(migrations, '2100_01_02_000000_create_sessions_table.ts'), migration('sessions',
      "await this.schema.createTable('sessions', (t) => { t.id(); t.boolean('expired').defaultTo(false) }); await this.schema.createTable('audit_lines', (t) => { t.id(); t.string('level') })",
      "await this.schema.dropTable('audit_lines'); await this.schema.dropTable('sessions')"))

    const pretend = await quarry(dir, ['migrate', '--pretend', '--step'], env)
    expect(pretend.stderr).toBe('')
    expect(pretend.stdout).toMatch(/create table .posts./i)
    expect(pretend.stdout).toContain('Dry run: would run 2 migrations in batches 2–3; nothing was changed.')
    expect(await tables()).not.toContain('posts')

    const stepped = await quarry(dir, ['migrate', '--step'], env)
    expect(stepped.stderr).toBe('')
    expect(stepped.stdout).toMatch(/Migrated\s+2100_01_01_000000_create_posts_table \(.+\)\nMigrating\s+2100_01_02_000000_create_sessions_table\nMigrated\s+2100_01_02_000000_create_sessions_table \(.+\)\nRan 2 migrations in batches 2–3/)
    const batches = await ctx.db.table('quarry_migrations').orderBy('id').pluck('batch')
    expect(batches.map(Number)).toEqual([1, 2, 3])
    const back = await quarry(dir, ['migrate:rollback', '--pretend'], env)
    expect(back.stdout).toContain('Dry run: would roll back 1 migration; nothing was changed.')
    expect(await tables()).toContain('sessions')
  })

  it('model:show: table, columns with database type, nullable, default and cast, relations, listeners and observers', { timeout: 180_000 }, async () => {
    writeFileSync(join(dir, 'models/post.ts'), POST)
    writeFileSync(join(dir, 'models/user.ts'), readFileSync(join(dir, 'models/user.ts'), 'utf8') + OBSERVED)
    const r = await quarry(dir, ['model:show', 'Post'], env)
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('Post  models/post.ts\nTable posts on connection ')
    expect(r.stdout).toMatch(/Column\s+Property\s+Type\s+Database type\s+Nullable\s+Default\s+Cast/)
    expect(r.stdout).toMatch(/\nid\s+id\s+\w+ \(primary, auto-increment\)\s+.+?\s+no(\s+nextval\('posts_id_seq'::regclass\))?\n/)
    expect(r.stdout).toMatch(/\nuser_id\s+userId\s+bigInteger\s+bigint.*\s+no\n/i)
    expect(r.stdout).toMatch(/\ntitle\s+title\s+string\s+(character )?varying\(255\)|\ntitle\s+title\s+string\s+varchar\(255\)/)
    expect(r.stdout).toMatch(/\nprice\s+price\s+(decimal|float)\s+\S+.*\s+no\s+\S*0\S*\s+built-in\n/)
    expect(r.stdout).toMatch(/Relation\s+Kind\s+Related\nauthor\s+belongsTo\s+User/)
    expect(r.stdout).toContain('Listeners and observers: none')

    const user = await quarry(dir, ['model:show', 'user'], env)
    expect(user.stderr).toBe('')
    expect(user.stdout).toMatch(/\nactive\s+active\s+boolean\s+.*\s+no\s+\S+\s+boolean\n/)
    expect(user.stdout).toMatch(/\nsettings\s+settings\s+(json|text)\s+.*\s+yes\s+json\n/)
    expect(user.stdout).toMatch(/\nsaving\s+lowerCaseEmail\n/)
    expect(user.stdout).toMatch(/\ncreated\s+UserObserver\.created\n/)
    expect(user.stdout).toMatch(/\ndeleting\s+UserObserver\.deleting\n/)

    const unknown = await quarry(dir, ['model:show', 'Comment'], env)
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('No model named Comment in models; the models are: Post, User')
    expect(unknown.stderr).not.toMatch(/\n\s+at /)
  })

  it('model:prune: --pretend counts, --model prunes one, then every prunable model; bad names are errors', { timeout: 240_000 }, async () => {
    writeFileSync(join(dir, 'models/session.ts'), SESSION)
    await ctx.db.table('sessions').insert(Array.from({ length: 30 }, (_, i) => ({ expired: i % 3 === 0 })))
    await ctx.db.table('audit_lines').insert(Array.from({ length: 12 }, (_, i) => ({ level: i % 2 ? 'debug' : 'info' })))
    const sessions = async () => Number((await ctx.db.table('sessions').count({ n: '*' }))[0]!.n)
    const audit = async () => Number((await ctx.db.table('audit_lines').count({ n: '*' }))[0]!.n)

    const pretend = await quarry(dir, ['model:prune', '--pretend'], env)
    expect(pretend.stderr).toBe('')
    expect(pretend.stdout).toMatch(/Would prune\s+AuditLine: 6 records\nWould prune\s+Session: 10 records/)
    expect([await sessions(), await audit()]).toEqual([30, 12])

    const one = await quarry(dir, ['model:prune', '--model', 'Session', '--chunk', '4'], env)
    expect(one.stderr).toBe('')
    expect(one.stdout).toMatch(/Pruning\s+Session\nPruned\s+Session: 10 records \((\d+ ms|\d+\.\d s)\)/)
    expect(one.stdout).not.toContain('AuditLine')
    expect([await sessions(), await audit()]).toEqual([20, 12])

    const all = await quarry(dir, ['model:prune'], env)
    expect(all.stderr).toBe('')
    expect(all.stdout).toMatch(/Pruned\s+AuditLine: 6 records/)
    expect(all.stdout).toMatch(/Pruned\s+Session: 0 records/)
    expect(await audit()).toBe(6)

    const [notPrunable, unknown, badChunk] = await Promise.all([
      quarry(dir, ['model:prune', '--model', 'User'], env),
      quarry(dir, ['model:prune', '--model', 'Nope'], env),
      quarry(dir, ['model:prune', '--chunk', '0'], env),
    ])
    expect(notPrunable.stderr).toContain('User is not prunable: declare static prunable = (q) => q.where(…) on it')
    expect(unknown.stderr).toContain('No model named Nope in models; the models are: AuditLine, Post, Session, User')
    expect(badChunk.stderr).toContain('--chunk: expected a whole number of at least 1')
    for (const r of [notPrunable, unknown, badChunk]) expect(r.code).toBe(1)
    expect(await sessions()).toBe(20)
  })

  it('repl: db and every model loaded, top-level await in input order, history kept in the project, .exit ends cleanly', { timeout: 180_000 }, async () => {
    const input = [
      "await User.create({ email: 'ADA@example.com', name: 'Ada' })",
      'await User.query().count()',
      "(await User.findBy('email', 'ada@example.com')).name",
      'typeof Post.query',
      "await db.table('users').count({ n: '*' }).then((r) => Number(r[0].n))",
      'await Promise.reject(new Error("boom"))',
      'missingName',
      "'still here'",
      '.exit',
      '',
    ].join('\n')
    const r = await quarry(dir, ['repl'], env, input)
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('Loaded AuditLine, Post, Session, User from models; db is the database. .exit to leave.')
    expect(r.stdout).toMatch(/quarry> User \{\n\s+id: \d+,\n\s+email: 'ada@example\.com'/)
    expect(r.stdout).toMatch(/quarry> 1\nquarry> 'Ada'\nquarry> 'function'\nquarry> 1\nquarry> Uncaught Error: boom/)
    expect(r.stdout).toMatch(/Uncaught ReferenceError: missingName is not defined[\s\S]*quarry> 'still here'/)
    expect(readFileSync(join(dir, '.quarry_repl_history'), 'utf8')).toContain("await User.create({ email: 'ADA@example.com', name: 'Ada' })\nawait User.query().count()\n")
    // The process ended on its own once the input ran out: nothing was left open.
    expect(r.ms).toBeLessThan(120_000)
  })

  it('db:wipe drops every table, view and type, migration records included', { timeout: 180_000 }, async () => {
    await ctx.db.raw('create view user_emails as select email from users')
    const types = ctx.db.connection().dialect.catalog.dropTypeSql !== undefined
    if (types) await ctx.db.raw("create type mood as enum ('happy', 'sad')")
    const r = await quarry(dir, ['db:wipe'], env)
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/Dropped\s+views: user_emails/)
    expect(r.stdout).toMatch(/Dropped\s+tables: .*quarry_migrations/)
    expect(r.stdout).toMatch(/Wiped the database \(/)
    if (types) expect(r.stdout).toMatch(/Dropped\s+types: mood/)
    expect(await ctx.db.schema.getTables()).toEqual([])
    expect(await ctx.db.schema.getViews()).toEqual([])
    expect(await ctx.db.schema.getTypes()).toEqual([])
    const empty = await quarry(dir, ['db:wipe'], env)
    expect(empty.stdout).toContain('The database was empty already.')
    mkdirSync(join(dir, 'unused'), { recursive: true })
  })
})
