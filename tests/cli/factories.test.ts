// `quarry make:factory`, and seeders that use factories under `quarry db:seed`: the real CLI,
// spawned in a temp project, on every dialect.
import { spawn } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { forEachDialect } from '../support/databases.js'

const BIN = resolve(import.meta.dirname, '../../bin/quarry.js')

interface Result {
  code: number | null
  stdout: string
  stderr: string
}

/** `quarry …` as a user runs it, in `cwd`, without colours and without the parent's DATABASE_URL. */
function quarry(cwd: string, args: string[], env: Record<string, string | undefined> = {}): Promise<Result> {
  const childEnv: Record<string, string | undefined> = { ...process.env, NODE_ENV: 'development', NO_COLOR: '1', FORCE_COLOR: undefined, DATABASE_URL: undefined, ...env }
  for (const key of Object.keys(childEnv)) if (childEnv[key] === undefined) delete childEnv[key]
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: childEnv as NodeJS.ProcessEnv })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })))
}

const CONFIG = `import { defineConfig } from 'quarry'

export default defineConfig({
  connection: 'sqlite:./decoy.db',
  migrations: { directory: 'db/migrations' },
  seeders: { directory: 'db/seeders' },
  models: { directory: 'app/models' },
  factories: { directory: 'db/factories' },
})
`

const MIGRATION = `import { Migration } from 'quarry'

export default class extends Migration {
  async up() {
    await this.schema.createTable('teams', (t) => {
      t.id()
      t.string('name')
      t.timestamps()
    })
    await this.schema.createTable('players', (t) => {
      t.id()
      t.integer('team_id').nullable()
      t.string('email').unique()
      t.string('name')
      t.integer('score')
      t.boolean('active')
      t.timestamps()
    })
  }

  async down() {
    await this.schema.dropTable('players')
    await this.schema.dropTable('teams')
  }
}
`

const TEAM = `import { Model, column, hasMany, table, type HasMany } from 'quarry'
import { Player } from './player.js'

@table('teams')
export class Team extends Model {
  @column.primary() declare id: number
  @column() declare name: string
  @column.createdAt() declare createdAt: Date
  @column.updatedAt() declare updatedAt: Date
  @hasMany(() => Player) declare players: HasMany<Player>
}
`

const PLAYER = `import { Model, column, table } from 'quarry'

@table('players')
export class Player extends Model {
  @column.primary() declare id: number
  @column() declare teamId: number | null
  @column() declare email: string
  @column() declare name: string
  @column() declare score: number
  @column.boolean() declare active: boolean
  @column.createdAt() declare createdAt: Date
  @column.updatedAt() declare updatedAt: Date
}
`

// The seeder uses the scaffolded factories, a state added to one, and a relation.
const SEEDER = `import { Factory, Seeder } from 'quarry'
import { PlayerFactory } from '../factories/player-factory.js'
import { TeamFactory } from '../factories/team-factory.js'

const Benched = PlayerFactory.state('benched', { active: false })

export default class DatabaseSeeder extends Seeder {
  async run() {
    Factory.seed(7)
    await TeamFactory.count(2).has(Benched.apply('benched').count(3), 'players').create()
    await PlayerFactory.create({ name: 'Free Agent' })
  }
}
`

// Written in JavaScript, as a caller the compiler does not check: an unknown state, after a write.
const BROKEN = `import { Seeder } from 'quarry'
import { TeamFactory } from '../factories/team-factory.js'

export default class BrokenSeeder extends Seeder {
  async run() {
    await TeamFactory.create({ name: 'Written, then rolled back' })
    await TeamFactory.apply('famous').create()
  }
}
`

const template = mkdtempSync(join(tmpdir(), 'quarry-cli-factories-'))
const made: Result[] = []

beforeAll(async () => {
  writeFileSync(join(template, 'quarry.config.ts'), CONFIG)
  mkdirSync(join(template, 'app/models'), { recursive: true })
  mkdirSync(join(template, 'db/migrations'), { recursive: true })
  mkdirSync(join(template, 'db/seeders'), { recursive: true })
  writeFileSync(join(template, 'app/models/team.ts'), TEAM)
  writeFileSync(join(template, 'app/models/player.ts'), PLAYER)
  writeFileSync(join(template, 'db/migrations/2030_01_01_000000_create_teams_and_players.ts'), MIGRATION)
  writeFileSync(join(template, 'db/seeders/database-seeder.ts'), SEEDER)
  writeFileSync(join(template, 'db/seeders/broken-seeder.mjs'), BROKEN)
  made.push(await quarry(template, ['make:factory', 'Player']))
  made.push(await quarry(template, ['make:factory', 'TeamFactory']))
}, 60_000)

afterAll(() => rmSync(template, { recursive: true, force: true }))

const SLOW = { timeout: 120_000 }

describe('quarry make:factory', () => {
  it('scaffolds a factory for a model in factories.directory, with a faker call per column that has one', () => {
    for (const r of made) expect(r).toMatchObject({ code: 0, stderr: '' })
    expect(made[0]!.stdout).toBe('Created factory db/factories/player-factory.ts (for app/models/player.ts)\n')
    expect(made[1]!.stdout).toBe('Created factory db/factories/team-factory.ts (for app/models/team.ts)\n')
    const player = readFileSync(join(template, 'db/factories/player-factory.ts'), 'utf8')
    expect(player).toContain("import { defineFactory } from 'quarry'")
    expect(player).toContain("import { Player } from '../../app/models/player.js'")
    expect(player).toContain('export const PlayerFactory = defineFactory(Player, ({ faker }) => ({')
    expect(player).toContain('    email: faker.internet.email(),')
    expect(player).toContain('    name: faker.person.fullName(),')
    expect(player).toContain('    score: faker.number.int({ min: 1, max: 1000 }),')
    expect(player).toContain('    active: faker.datatype.boolean(),')
    expect(player).toContain('    // teamId: …,  (number)')
    expect(player).not.toMatch(/createdAt|updatedAt|\bid:/)
  })

  it('refuses an unknown model, a bad name and an existing file, saying what to do', async () => {
    const plain = mkdtempSync(join(tmpdir(), 'quarry-cli-factories-plain-'))
    const [ghost, badName, again, noModels] = await Promise.all([
      quarry(template, ['make:factory', 'Ghost']),
      quarry(template, ['make:factory', '9lives']),
      quarry(template, ['make:factory', 'Player']),
      quarry(plain, ['make:factory', 'User']),
    ])
    expect(ghost.code).toBe(1)
    expect(ghost.stderr).toMatch(/No model Ghost in .*app\/models \(looked for ghost\.ts, Ghost\.ts\); create it with: npx quarry make:model Ghost/)
    expect(badName.stderr).toMatch(/"9lives" is not a usable model name/)
    expect(again.code).toBe(1)
    expect(again.stderr).toMatch(/player-factory\.ts already exists; add --force to overwrite it/)
    expect(noModels.stderr).toMatch(/No model User in .*src\/models/)
    for (const r of [ghost, badName, again, noModels]) expect(r.stderr).not.toMatch(/\n\s+at /)
    rmSync(plain, { recursive: true, force: true })
  })
})

forEachDialect('quarry db:seed with factories', (ctx) => {
  let dir: string
  let env: Record<string, string>
  const count = async (table: string) => Number((await ctx.db.table(table).count({ n: '*' }))[0]!.n)

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `quarry-cli-factories-${ctx.dialect}-`))
    cpSync(template, dir, { recursive: true })
    env = { DATABASE_URL: ctx.target.url }
    const migrated = await quarry(dir, ['migrate'], env)
    expect(migrated).toMatchObject({ code: 0, stderr: '' })
  }, 60_000)

  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it.sequential('a seeder creates models, states and children with factories', SLOW, async () => {
    const seeded = await quarry(dir, ['db:seed'], env)
    expect(seeded.stderr).toBe('')
    expect(seeded.code).toBe(0)
    expect(seeded.stdout).toMatch(/Seeded\s+database-seeder \(/)
    expect(await count('teams')).toBe(2)
    expect(await count('players')).toBe(7)
    const teams = await ctx.db.table('teams').orderBy('id')
    for (const team of teams) {
      const players = await ctx.db.table('players').where('team_id', team.id as number)
      expect(players).toHaveLength(3)
      expect(players.every((p) => !p.active)).toBe(true)
      expect(players.every((p) => typeof p.email === 'string' && p.email.includes('@'))).toBe(true)
    }
    expect(await ctx.db.table('players').whereNull('team_id').select('name')).toEqual([{ name: 'Free Agent' }])
  })

  it.sequential('an unknown state in a JavaScript seeder fails the run with a QuarryError; its transaction leaves nothing', SLOW, async () => {
    const before = await count('teams')
    const broken = await quarry(dir, ['db:seed', '--class', 'BrokenSeeder'], env)
    expect(broken.code).toBe(1)
    expect(broken.stderr).toContain('Team factory has no state "famous"; it declares no states (add one with .state(name, attributes))')
    expect(broken.stderr).not.toMatch(/\n\s+at /)
    expect(await count('teams')).toBe(before)
  })
})
