import { spawn } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect, type Database } from '../../src/index.js'
import { dropAllTables } from '../../src/schema/drop-all-tables.js'
import { MigrationLock } from '../../src/schema/migration-lock.js'
import { forEachDialect } from '../support/databases.js'

const BIN = resolve(import.meta.dirname, '../../bin/quarry.js')

interface Result {
  code: number | null
  stdout: string
  stderr: string
}

interface Running {
  /** Resolves when the process has printed `text`. */
  printed(text: string): Promise<void>
  done: Promise<Result>
}

/** `quarry …` as a user runs it, in `cwd`, without colours and without the parent's DATABASE_URL. */
function start(cwd: string, args: string[], env: Record<string, string | undefined> = {}): Running {
  const childEnv: Record<string, string | undefined> = { ...process.env, NODE_ENV: 'development', NO_COLOR: '1', FORCE_COLOR: undefined, DATABASE_URL: undefined, ...env }
  for (const key of Object.keys(childEnv)) if (childEnv[key] === undefined) delete childEnv[key]
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: childEnv as NodeJS.ProcessEnv })
  let stdout = ''
  let stderr = ''
  const waiters: Array<{ text: string; resolve: () => void }> = []
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
    for (const w of waiters.filter((w) => stdout.includes(w.text))) w.resolve()
  })
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const done = new Promise<Result>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })))
  return {
    done,
    printed: (text) =>
      new Promise<void>((resolve, reject) => {
        if (stdout.includes(text)) return resolve()
        waiters.push({ text, resolve })
        void done.then((r) => reject(new Error(`exited (${r.code}) without printing "${text}":\n${r.stdout}\n${r.stderr}`)))
      }),
  }
}

function quarry(cwd: string, args: string[], env?: Record<string, string | undefined>): Promise<Result> {
  return start(cwd, args, env).done
}

async function rows(db: Database) {
  return db.table('quarry_migrations').orderBy('id').select('name', 'batch')
}

async function tableNames(db: Database): Promise<string[]> {
  const connection = db.connection()
  return connection.dialect.rawRows(await connection.knex.raw(connection.dialect.listTablesSql)).map((r) => String(r.name)).sort()
}

/** Each dialect's project starts from these files: a config and what the make: commands wrote. */
const template = mkdtempSync(join(tmpdir(), 'quarry-cli-template-'))
const CONFIG = `import { defineConfig } from 'quarry'

// DATABASE_URL replaces "main"; "other" names the test database too, for --connection.
export default defineConfig({
  default: 'main',
  connections: {
    main: 'sqlite:./decoy.db',
    other: process.env.OTHER_URL as string,
  },
  migrations: { directory: 'db/migrations' },
  seeders: { directory: 'db/seeders' },
  models: { directory: 'app/models' },
})
`

const GAMES = `import { Migration } from 'quarry'

export default class extends Migration {
  async up() {
    await this.schema.createTable('games', (t) => {
      t.id()
      t.foreignId('team_id').constrained().cascadeOnDelete()
      t.uuid('public_id').unique()
      t.json('score').nullable()
      t.timestamps()
    })
  }

  async down() {
    await this.schema.dropTable('games')
  }
}
`

const SEEDER = `import { Seeder } from 'quarry'

export default class DatabaseSeeder extends Seeder {
  async run() {
    await this.db.table('teams').insert({ created_at: new Date() })
  }
}
`

const made: Result[] = []

// The make: commands write each dialect's project; everything after runs concurrently.
beforeAll(async () => {
  writeFileSync(join(template, 'quarry.config.ts'), CONFIG)
  made.push(await quarry(template, ['make:migration', 'create_teams_table']))
  made.push(await quarry(template, ['make:model', 'Player', '--migration']))
  made.push(await quarry(template, ['make:migration', 'add_rank_to_players_table']))
  made.push(await quarry(template, ['make:seeder', 'DatabaseSeeder']))
}, 60_000)

afterAll(() => rmSync(template, { recursive: true, force: true }))

const SLOW = { timeout: 120_000 }

describe.concurrent('quarry CLI', () => {
describe.sequential('without a database', () => {

  it('scaffolds migrations in creation order, a model with its migration, and a seeder', () => {
    for (const r of made) expect(r).toMatchObject({ code: 0, stderr: '' })
    expect(made[0]!.stdout).toMatch(/^Created migration db\/migrations\/\d{4}_\d\d_\d\d_\d{6}_create_teams_table\.ts\n$/)
    expect(made[1]!.stdout).toMatch(/Created model app\/models\/player\.ts \(table players\)\nCreated migration db\/migrations\/\d{4}_\d\d_\d\d_\d{6}_create_players_table\.ts/)
    const files = readdirSync(join(template, 'db/migrations'))
    expect(files.map((f) => f.slice(18))).toEqual(['create_teams_table.ts', 'create_players_table.ts', 'add_rank_to_players_table.ts'])
    const [teams, players, rank] = files.map((f) => readFileSync(join(template, 'db/migrations', f), 'utf8'))
    expect(teams).toContain("await this.schema.createTable('teams', (t) => {")
    expect(teams).toContain("await this.schema.dropTable('teams')")
    expect(players).toContain("createTable('players'")
    expect(rank).toContain("await this.schema.alterTable('players', (t) => {")
    const model = readFileSync(join(template, 'app/models/player.ts'), 'utf8')
    expect(model).toContain("@table('players')\nexport class Player extends Model {")
    expect(model).toContain('@column.primary() declare id: number')
    expect(readFileSync(join(template, 'db/seeders/database-seeder.ts'), 'utf8')).toContain('export default class DatabaseSeeder extends Seeder')
    // The scaffolded seeder does nothing; the projects use one that inserts a row.
    writeFileSync(join(template, 'db/seeders/database-seeder.ts'), SEEDER)
  })

  it('writes .mjs without TypeScript, takes --create=table, refuses to overwrite, and says what was wrong with a bad name', async () => {
    const plain = mkdtempSync(join(tmpdir(), 'quarry-cli-plain-'))
    const [created, again, model, badName, both] = await Promise.all([
      quarry(plain, ['make:migration', 'make things', '--create=things']),
      quarry(template, ['make:migration', 'create_teams_table']),
      quarry(template, ['make:model', 'Player']),
      quarry(template, ['make:model', '9lives']),
      quarry(template, ['make:migration', 'x', '--create', 'a', '--table', 'b']),
    ])
    expect(created.stdout).toMatch(/^Created migration database\/migrations\/\d{4}_\d\d_\d\d_\d{6}_make_things\.mjs\n$/)
    const [file] = readdirSync(join(plain, 'database/migrations'))
    expect(readFileSync(join(plain, 'database/migrations', file!), 'utf8')).toContain("await this.schema.createTable('things', (t) => {")
    rmSync(plain, { recursive: true, force: true })
    expect(again.code).toBe(1)
    expect(again.stderr).toMatch(/A migration named create_teams_table already exists: \d{4}_\d\d_\d\d_\d{6}_create_teams_table\.ts/)
    expect(model.code).toBe(1)
    expect(model.stderr).toMatch(/player\.ts already exists; add --force to overwrite it/)
    expect(badName.stderr).toMatch(/"9lives" is not a usable class name/)
    expect(both.stderr).toMatch(/Give --create or --table, not both/)
    for (const r of [again, model, badName, both]) expect(r.stderr).not.toMatch(/\n\s+at /)
    expect(readdirSync(join(template, 'db/migrations'))).toHaveLength(3)
  })

  it('prints its version and help, and fails on unknown commands and options', async () => {
    const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string }
    const [version, help, commandHelp, unknown, badStep] = await Promise.all([
      quarry(template, ['--version']),
      quarry(template, ['--help']),
      quarry(template, ['migrate:rollback', '--help']),
      quarry(template, ['migrate:sideways']),
      quarry(template, ['migrate:rollback', '--step', 'two']),
    ])
    expect(version).toMatchObject({ code: 0, stdout: `${pkg.version}\n` })
    expect(help.code).toBe(0)
    for (const command of ['migrate', 'migrate:rollback', 'migrate:status', 'migrate:reset', 'migrate:refresh', 'migrate:fresh', 'migrate:unlock', 'make:migration', 'make:model', 'make:seeder', 'db:seed']) {
      expect(help.stdout).toContain(`  ${command} `)
    }
    for (const option of ['--step <n>', '--connection <name>', '--dry-run', '--lock-timeout <ms>']) expect(commandHelp.stdout).toContain(option)
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain("unknown command 'migrate:sideways'")
    expect(badStep.code).toBe(1)
    expect(badStep.stderr).toContain('expected a whole number of at least 1')
  })

  it('refuses destructive commands in production without --force, and never prints a password', async () => {
    const [reset, fresh, refresh, secret] = await Promise.all([
      quarry(template, ['migrate:reset'], { NODE_ENV: 'production' }),
      quarry(template, ['migrate:fresh', '--seed'], { NODE_ENV: 'production' }),
      quarry(template, ['migrate:refresh'], { NODE_ENV: 'production' }),
      quarry(template, ['migrate:status'], { DATABASE_URL: 'postgres://app:hunter2secret@127.0.0.1:1/nowhere', OTHER_URL: 'sqlite::memory:' }),
    ])
    expect(reset.code).toBe(1)
    expect(reset.stderr).toContain('Refusing to run migrate:reset with NODE_ENV=production: it rolls back every migration. Add --force if you mean it.')
    expect(fresh.stderr).toContain('Refusing to run migrate:fresh with NODE_ENV=production: it drops every table.')
    expect(refresh.code).toBe(1)
    expect(existsSync(join(template, 'decoy.db'))).toBe(false)
    expect(secret.code).toBe(1)
    expect(secret.stderr).toMatch(/127\.0\.0\.1:1/)
    expect(secret.stdout + secret.stderr).not.toContain('hunter2secret')
  })

  it('reports a config that does not load and a missing --config file, with a stack only when --verbose', async () => {
    const broken = mkdtempSync(join(tmpdir(), 'quarry-cli-broken-'))
    writeFileSync(join(broken, 'quarry.config.mjs'), 'export default 42\n')
    const [notObject, missing, verbose] = await Promise.all([
      quarry(broken, ['migrate:status']),
      quarry(broken, ['migrate:status', '--config', 'nope.ts']),
      quarry(broken, ['migrate:status', '--config', 'nope.ts', '--verbose']),
    ])
    expect(notObject.code).toBe(1)
    expect(notObject.stderr).toMatch(/quarry\.config\.mjs: must export default the config object/)
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/--config: no such file: .*nope\.ts/)
    expect(missing.stderr).not.toMatch(/\n\s+at /)
    expect(verbose.code).toBe(1)
    expect(verbose.stderr).toMatch(/ConfigError: --config: no such file[\s\S]*\n\s+at /)
    rmSync(broken, { recursive: true, force: true })
  })
})

forEachDialect('on', (ctx) => {
  let dir: string
  let env: Record<string, string>
  const migrationFiles = () => readdirSync(join(dir, 'db/migrations')).map((f) => f.replace(/\.[^.]+$/, '')).sort()
  const count = async (table: string) => Number((await ctx.db.table(table).count({ n: '*' }))[0]!.n)

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), `quarry-cli-${ctx.dialect}-`))
    cpSync(template, dir, { recursive: true })
    writeFileSync(join(dir, 'db/migrations/2030_01_01_000000_create_games_table.mjs'), GAMES)
    env = { DATABASE_URL: ctx.target.url, OTHER_URL: ctx.target.url }
  })

  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it.sequential('shows status, dry-runs, migrates in batches and rolls back, with status after each step', SLOW, async () => {
    const names = migrationFiles()
    const pending = await quarry(dir, ['migrate:status'], env)
    expect(pending.stderr).toBe('')
    expect(pending.code).toBe(0)
    expect(pending.stdout).toMatch(/^Connection main: \w+ /m)
    for (const name of names) expect(pending.stdout).toMatch(new RegExp(`${name}\\s+Pending`))
    expect(pending.stdout).toContain('0 migrations ran, 4 pending.')

    const dry = await quarry(dir, ['migrate', '--dry-run'], env)
    expect(dry.stderr).toBe('')
    expect(dry.code).toBe(0)
    expect(dry.stdout).toMatch(/create table .teams./i)
    expect(dry.stdout).toMatch(/create table .games./i)
    expect(dry.stdout).toContain('Dry run: would run 4 migrations in batch 1; nothing was changed.')
    expect(await tableNames(ctx.db)).toEqual([])

    // Scaffolded (.ts), hand-written (.mjs): one batch, DATABASE_URL in place of the decoy.
    const first = await quarry(dir, ['migrate'], env)
    expect(first.stderr).toBe('')
    expect(first.code).toBe(0)
    for (const name of names) expect(first.stdout).toMatch(new RegExp(`Migrated\\s+${name} \\((?:\\d+ ms|\\d+\\.\\d s)\\)`))
    expect(first.stdout).toMatch(/Ran 4 migrations in batch 1 \((?:\d+ ms|\d+\.\d s)\)\./)
    expect(await rows(ctx.db)).toEqual(names.map((name) => ({ name, batch: 1 })))
    expect(await tableNames(ctx.db)).toEqual(expect.arrayContaining(['games', 'players', 'teams']))
    expect(existsSync(join(dir, 'decoy.db'))).toBe(false)

    // --connection picks another configured connection (without DATABASE_URL, main is the decoy file).
    writeFileSync(join(dir, 'db/migrations/2030_01_02_000000_create_venues_table.ts'), GAMES.replaceAll('games', 'venues'))
    const second = await quarry(dir, ['migrate', '--connection', 'other'], { OTHER_URL: ctx.target.url })
    expect(second.stderr).toBe('')
    expect(second.stdout).toMatch(/^Connection other: /m)
    expect(second.stdout).toMatch(/Ran 1 migration in batch 2/)
    expect((await rows(ctx.db)).map((r) => r.batch)).toEqual([1, 1, 1, 1, 2])

    const back = await quarry(dir, ['migrate:rollback'], env)
    expect(back.stderr).toBe('')
    expect(back.stdout).toMatch(/Rolled back\s+2030_01_02_000000_create_venues_table/)
    expect(back.stdout).toMatch(/Rolled back 1 migration \(/)
    expect((await rows(ctx.db)).map((r) => r.batch)).toEqual([1, 1, 1, 1])
    expect(await tableNames(ctx.db)).not.toContain('venues')

    const stepped = await quarry(dir, ['migrate:rollback', '--step', '2'], env)
    expect(stepped.stderr).toBe('')
    expect(stepped.stdout).toMatch(/Rolled back 2 migrations/)
    expect((await rows(ctx.db)).map((r) => r.name)).toEqual(names.slice(0, 2))
    const after = await quarry(dir, ['migrate:status'], env)
    expect(after.stderr).toBe('')
    expect(after.stdout).toMatch(/Migration\s+Batch\s+Ran at/)
    expect(after.stdout).toMatch(/create_teams_table\s+1\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/)
    expect(after.stdout).toMatch(/create_players_table\s+1\s+\d{4}-/)
    expect(after.stdout).toMatch(/add_rank_to_players_table\s+Pending/)
    expect(after.stdout).toMatch(/create_venues_table\s+Pending/)
    expect(after.stdout).toContain('2 migrations ran, 3 pending.')
  })

  it.sequential('stops at a failing migration with a readable error and the right exit code', SLOW, async () => {
    const transactional = ctx.db.connection().dialect.supports.transactionalDdl
    const file = join(dir, 'db/migrations/2030_02_01_000000_half_done.mjs')
    writeFileSync(file, `import { Migration } from 'quarry'
export default class extends Migration {
  async up() {
    await this.schema.createTable('half_done', (t) => { t.id() })
    await this.schema.raw('create table half_done (id integer)')
  }
}
`)
    const failed = await quarry(dir, ['migrate'], env)
    rmSync(file)
    expect(failed.code).toBe(1)
    expect(failed.stdout).toMatch(/Migrated\s+2030_01_02_000000_create_venues_table/)
    expect(failed.stderr).toMatch(/^Migration 2030_02_01_000000_half_done failed: .*already exists/im)
    expect(failed.stderr).toContain(`file: ${file}`)
    expect(failed.stderr).toContain('statement: create table half_done (id integer)')
    expect(failed.stderr).not.toMatch(/\n\s+at /)
    if (transactional) {
      expect(failed.stderr).toContain('Its transaction was rolled back: nothing of this migration was applied.')
      expect(await tableNames(ctx.db)).not.toContain('half_done')
    } else {
      expect(failed.stderr).toMatch(/these statements had already run and remain applied:\n\s+create table .half_done./i)
      expect(await tableNames(ctx.db)).toContain('half_done')
    }
    expect((await rows(ctx.db)).map((r) => r.name)).toEqual(migrationFiles())
  })

  it.sequential('two concurrent migrate processes apply each migration exactly once', SLOW, async () => {
    await dropAllTables(ctx.db.connection(), [])
    const other = await connect(ctx.target.config())
    const lock = new MigrationLock(other.connection())
    await lock.acquire({ timeoutMs: 5_000 })
    let released = false
    try {
      // Both start while the lock is held, so they race for it the moment it is released.
      const a = start(dir, ['migrate'], env)
      const b = start(dir, ['migrate'], env)
      await Promise.all([a.printed('Waiting for the migration lock'), b.printed('Waiting for the migration lock')])
      await lock.release()
      released = true
      const results = await Promise.all([a.done, b.done])
      for (const r of results) expect(r).toMatchObject({ code: 0, stderr: '' })
      const outputs = results.map((r) => r.stdout)
      expect(outputs.filter((o) => /Ran 5 migrations in batch 1/.test(o))).toHaveLength(1)
      expect(outputs.filter((o) => o.includes('Nothing to migrate.'))).toHaveLength(1)
      expect(await rows(ctx.db)).toEqual(migrationFiles().map((name) => ({ name, batch: 1 })))
    } finally {
      if (!released) await lock.release()
      await other.close()
    }
  })

  it.sequential('refreshes and seeds, drops everything with fresh, seeds a class, resets', SLOW, async () => {
    const refresh = await quarry(dir, ['migrate:refresh', '--seed'], env)
    expect(refresh.stderr).toBe('')
    expect(refresh.stdout).toMatch(/Refreshed: 5 migrations rolled back, 5 migrations run/)
    expect(refresh.stdout).toMatch(/Seeded\s+database-seeder/)
    expect(await count('teams')).toBe(1)

    await ctx.db.connection().knex.schema.createTable('stray', (t) => t.increments('id'))
    const fresh = await quarry(dir, ['migrate:fresh', '--seed', '--force'], { ...env, NODE_ENV: 'production' })
    expect(fresh.stderr).toBe('')
    expect(fresh.stdout).toMatch(/Dropped\s+.*stray/)
    expect(fresh.stdout).toMatch(/Dropped 6 tables, ran 5 migrations/)
    expect(await tableNames(ctx.db)).not.toContain('stray')
    expect(await count('teams')).toBe(1)
    expect((await rows(ctx.db)).map((r) => r.batch)).toEqual([1, 1, 1, 1, 1])

    const seeded = await quarry(dir, ['db:seed', '--class', 'DatabaseSeeder'], env)
    expect(seeded.stderr).toBe('')
    expect(seeded.stdout).toMatch(/Seeded\s+database-seeder \((?:\d+ ms|\d+\.\d s)\)/)
    expect(await count('teams')).toBe(2)

    const reset = await quarry(dir, ['migrate:reset'], env)
    expect(reset.stderr).toBe('')
    expect(reset.stdout).toMatch(/Rolled back 5 migrations/)
    expect(await tableNames(ctx.db)).toEqual(expect.not.arrayContaining(['games', 'players', 'teams', 'venues']))
    expect(await rows(ctx.db)).toEqual([])
  })

  it.sequential("a held lock fails the run with how to release it; migrate:unlock clears a crashed run's lock", SLOW, async () => {
    const other = await connect(ctx.target.config())
    const lock = new MigrationLock(other.connection())
    await lock.acquire({ timeoutMs: 5_000 })
    try {
      const blocked = await quarry(dir, ['migrate', '--lock-timeout', '300'], env)
      expect(blocked.code).toBe(1)
      expect(blocked.stdout).toContain('Waiting for the migration lock')
      if (lock.advisory) {
        expect(blocked.stderr).toMatch(/holds the migration lock \(waited 0\.3 s\)\. It is an advisory lock/)
      } else {
        expect(blocked.stderr).toMatch(/The migration lock on "main" is held by .* pid \d+ .* since \d{4}-\d\d-\d\dT/)
        expect(blocked.stderr).toContain('release it with: npx quarry migrate:unlock')
        // As if the holder had crashed: its row stays until unlocked.
        const unlock = await quarry(dir, ['migrate:unlock'], env)
        expect(unlock.stderr).toBe('')
        expect(unlock).toMatchObject({ code: 0 })
        expect(unlock.stdout).toContain('Released the migration lock.')
        expect(await count('quarry_migrations_lock')).toBe(0)
      }
      expect(await rows(ctx.db)).toEqual([])
    } finally {
      await lock.release()
      await other.close()
    }
  })
})
})
