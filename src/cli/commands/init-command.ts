import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { type Command, Option } from 'commander'
import { QuarryError } from '../../errors/index.js'
import type { CliContext } from '../cli-context.js'
import { INIT_DRIVERS, INIT_MIGRATION, INIT_MODEL, INIT_TSCONFIG, type InitDriver, initConfig } from '../init-templates.js'
import { stamp } from './make-commands.js'

interface PackageJson {
  name?: string
  version?: string
  dependencies?: Record<string, string>
  [key: string]: unknown
}

/** `init [--driver sqlite|postgres|mysql|libsql]` */
export function registerInitCommand(program: Command, ctx: CliContext): void {
  program
    .command('init')
    .description('start a project here: quarry.config.ts, tsconfig.json, models/, a first migration and model')
    .addOption(new Option('--driver <name>', 'the database driver').choices(Object.keys(INIT_DRIVERS)).default('sqlite'))
    .action((options: { driver: InitDriver }) => init(ctx, options.driver))
}

function init(ctx: CliContext, driver: InitDriver): void {
  const at = (path: string) => join(ctx.cwd, path)
  const migrations = at('database/migrations')
  const files: Array<[string, string]> = [
    ['quarry.config.ts', initConfig(driver)],
    ['tsconfig.json', INIT_TSCONFIG],
    ['models/user.ts', INIT_MODEL],
    [`database/migrations/${stamp(new Date())}_create_users_table.ts`, INIT_MIGRATION],
  ]
  // Nothing is written unless everything can be.
  const clashes = [
    ...['quarry.config.ts', 'quarry.config.mts', 'quarry.config.js', 'quarry.config.mjs', 'tsconfig.json', 'models/user.ts'].filter((f) => existsSync(at(f))),
    ...(existsSync(migrations) ? readdirSync(migrations).filter((f) => /_create_users_table\.\w+$/.test(f)).map((f) => `database/migrations/${f}`) : []),
  ]
  if (clashes.length) {
    throw new QuarryError(`quarry init writes nothing over existing files, and these exist: ${clashes.join(', ')}. Run it in an empty folder, or move them away.`)
  }
  const pkgFile = at('package.json')
  const pkg = readPackage(pkgFile, basename(ctx.cwd))
  const driverPackage = INIT_DRIVERS[driver].package
  const added: string[] = []
  pkg.dependencies ??= {}
  for (const [name, range] of [['quarry', `^${ownPackage().version}`], [driverPackage, ownPackage().dependencies?.[driverPackage] ?? 'latest']] as const) {
    if (pkg.dependencies[name] === undefined) {
      pkg.dependencies[name] = range
      added.push(`${name}@${range}`)
    }
  }

  const c = ctx.out.c
  for (const [file, content] of files) {
    mkdirSync(dirname(at(file)), { recursive: true })
    writeFileSync(at(file), content)
    ctx.out.line(`${c.green('Created')} ${file}`)
  }
  writeFileSync(pkgFile, `${JSON.stringify(pkg, null, 2)}\n`)
  ctx.out.line(added.length ? `${c.green('Added')} ${added.join(', ')} to package.json` : 'package.json already lists quarry and the driver')
  ctx.out.line('')
  ctx.out.line('Next:')
  ctx.out.line('  npm install')
  ctx.out.line('  npx quarry migrate')
}

function readPackage(file: string, name: string): PackageJson {
  if (!existsSync(file)) {
    return { name: name.toLowerCase().replace(/[^a-z0-9-._]/g, '-'), private: true, type: 'module', scripts: { migrate: 'quarry migrate' } }
  }
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'))
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object')
    return parsed as PackageJson
  } catch (error) {
    throw new QuarryError(`package.json is not valid JSON (${(error as Error).message}); fix it, then run quarry init again`)
  }
}

function ownPackage(): PackageJson {
  return JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as PackageJson
}
