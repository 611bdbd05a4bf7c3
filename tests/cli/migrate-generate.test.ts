import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { expect, it } from 'vitest'
import { forEachDialect } from '../support/databases.js'

const BIN = resolve(import.meta.dirname, '../../bin/quarry.js')

interface Result {
  code: number | null
  stdout: string
  stderr: string
}

/** `quarry …` as a user runs it, in `cwd`, without colours, on the test database. */
function quarry(cwd: string, args: string[], url: string): Promise<Result> {
  const env: Record<string, string | undefined> = { ...process.env, NODE_ENV: 'development', NO_COLOR: '1', FORCE_COLOR: undefined, DATABASE_URL: url }
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key]
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: env as NodeJS.ProcessEnv })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })))
}

const CONFIG = `import { defineConfig } from 'quarry'
export default defineConfig({
  default: 'main',
  connections: { main: 'sqlite:./unused.db' },
  migrations: { directory: 'db/migrations' },
  models: { directory: 'app/models' },
})
`

const model = (columns: string) => `import { column, Model, table } from 'quarry'

@table('players')
export class Player extends Model {
  @column.primary() declare id: number
${columns}
}
`

const SLOW = { timeout: 120_000 }

forEachDialect('quarry migrate:generate and migrate:check', (ctx) => {
  it('check exits 1 listing the differences; generate writes a migration; after migrate, check exits 0 and generate writes nothing', SLOW, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quarry-generate-'))
    writeFileSync(join(dir, 'quarry.config.ts'), CONFIG)
    mkdirSync(join(dir, 'app/models'), { recursive: true })
    const file = join(dir, 'app/models/player.ts')
    writeFileSync(file, model("  @column({ type: 'string' }) declare name: string\n  @column({ type: 'integer', default: 0 }) declare score: number\n  @column.createdAt() declare createdAt: Date"))
    const url = ctx.target.url
    const migrations = () => (readdirSync(join(dir, 'db'), { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).sort()

    const before = await quarry(dir, ['migrate:check'], url)
    expect(before.code).toBe(1)
    expect(before.stdout).toContain('The database differs from the models (1 difference):\n  create table players (Player)')
    expect(before.stderr).toMatch(/the models and the database differ; run npx quarry migrate:generate <name>/)

    const generated = await quarry(dir, ['migrate:generate', 'create_players'], url)
    expect(generated).toMatchObject({ code: 0, stderr: '' })
    expect(generated.stdout).toMatch(/Created migration db\/migrations\/\d{4}_\d\d_\d\d_\d{6}_create_players\.ts\n  create table players \(Player\)/)
    const [written] = migrations()
    const source = readFileSync(join(dir, 'db', written!), 'utf8')
    expect(source).toContain("import { Migration } from 'quarry'")
    expect(source).toContain("await this.schema.createTable('players', (t) => {\n      t.bigIncrements('id')\n      t.string('name')\n      t.integer('score').defaultTo(0)\n      t.dateTime('created_at')\n    })")
    expect(source).toContain("await this.schema.dropTable('players')")

    expect((await quarry(dir, ['migrate'], url)).code).toBe(0)
    const after = await quarry(dir, ['migrate:check'], url)
    expect(after).toMatchObject({ code: 0, stderr: '' })
    expect(after.stdout).toContain('The database matches the models.')
    const again = await quarry(dir, ['migrate:generate', 'again'], url)
    expect(again).toMatchObject({ code: 0, stderr: '' })
    expect(again.stdout).toContain('Nothing to generate: the database matches the models.')
    expect(migrations()).toHaveLength(1)

    // A column gone from the model: a warning, nothing written, unless --allow-drop; check still fails.
    writeFileSync(file, model("  @column({ type: 'string' }) declare name: string\n  @column.createdAt() declare createdAt: Date"))
    const refused = await quarry(dir, ['migrate:generate', 'drop_score'], url)
    expect(refused.code).toBe(0)
    expect(refused.stdout).toContain('warning: drop column players.score (left out: pass --allow-drop to drop it, or --rename if it was renamed)')
    expect(refused.stdout).toContain('Nothing to generate')
    expect(migrations()).toHaveLength(1)
    const failing = await quarry(dir, ['migrate:check'], url)
    expect(failing.code).toBe(1)
    expect(failing.stdout).toContain('  drop column players.score')
    const dropped = await quarry(dir, ['migrate:generate', 'drop_score', '--allow-drop'], url)
    expect(dropped.stdout).toMatch(/Created migration .*_drop_score\.ts\n  drop column players\.score/)

    // A rename, said on the command line.
    writeFileSync(file, model("  @column({ type: 'string' }) declare fullName: string\n  @column({ type: 'integer', default: 0 }) declare score: number\n  @column.createdAt() declare createdAt: Date"))
    const renamed = await quarry(dir, ['migrate:generate', 'rename_name', '--rename', 'players.name:full_name'], url)
    expect(renamed.stdout).toMatch(/_rename_name\.ts\n  rename column players\.name → full_name/)
    expect(migrations()).toHaveLength(3)
    const bad = await quarry(dir, ['migrate:generate', 'x', '--rename', 'players.nope:full_name'], url)
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('--rename players.nope:full_name: the table players has no column nope')
  })

  it('a property whose type cannot be told stops the generator, naming it', SLOW, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quarry-generate-'))
    writeFileSync(join(dir, 'quarry.config.ts'), CONFIG)
    mkdirSync(join(dir, 'app/models'), { recursive: true })
    writeFileSync(join(dir, 'app/models/player.ts'), model('  @column() declare stats: Record<string, number> | string'))
    const result = await quarry(dir, ['migrate:generate', 'x'], ctx.target.url)
    expect(result.code).toBe(1)
    expect(result.stderr).toContain("declare it, e.g. @column({ type: 'string' }):\n  Player.stats (column \"stats\" of players)")
    expect(readdirSync(dir)).not.toContain('db')
  })
})
