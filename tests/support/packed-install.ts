// Quarry as a user gets it: built (`npm run build`), packed (`npm pack`) and installed from the
// tarball into a new project. better-sqlite3's install script would compile it from source
// (about 1.5 min of CPU), so the project's node_modules is seeded with the copy this repository
// already built, and npm installs offline from its cache, with a lockfile made from the
// repository's (npm's cache holds the tarballs, not the registry's package lists).
import { spawnSync, type SpawnSyncReturns } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

export const REPO = resolve(import.meta.dirname, '../..')

interface LockEntry {
  version?: string
  dev?: boolean
  link?: boolean
  [key: string]: unknown
}

interface Lockfile {
  packages: Record<string, LockEntry>
}

/** A command's outcome, with its output for assertion messages. */
export interface Ran {
  status: number | null
  stdout: string
  stderr: string
  /** stdout and stderr together, for `expect(…, ran.output)`. */
  output: string
}

/** Runs `command args` in `cwd` and waits; never throws on a failed exit. */
export function run(cwd: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): Ran {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...env }
  for (const key of Object.keys(childEnv)) if (childEnv[key] === undefined) delete childEnv[key]
  const result: SpawnSyncReturns<string> = spawnSync(command, args, { cwd, env: childEnv, encoding: 'utf8', timeout: 300_000 })
  const stdout = result.stdout ?? ''
  const stderr = (result.stderr ?? '') + (result.error ? `\n${result.error.message}` : '')
  return { status: result.status, stdout, stderr, output: `${stdout}\n${stderr}` }
}

function mustRun(cwd: string, command: string, args: string[]): Ran {
  const ran = run(cwd, command, args)
  if (ran.status !== 0) throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${ran.output}`)
  return ran
}

/**
 * Builds the package (`npm run build`, into a staging copy so the worktree's own dist/ is left
 * alone) and packs it. Resolves to the tarball's path and the staged package directory.
 */
export function packQuarry(): { tarball: string; staged: string } {
  const work = mkdtempSync(join(tmpdir(), 'quarry-pack-'))
  const staged = join(work, 'package')
  mkdirSync(staged)
  mustRun(REPO, 'npm', ['run', 'build', '--', '--outDir', join(staged, 'dist')])
  const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { files: string[] }
  for (const entry of [...manifest.files.filter((f) => f !== 'dist'), 'package.json', 'README.md']) {
    cpSync(join(REPO, entry), join(staged, entry), { recursive: true })
  }
  const packed = mustRun(staged, 'npm', ['pack', '--pack-destination', work, '--loglevel=warn'])
  const name = packed.stdout.trim().split('\n').pop()!
  return { tarball: join(work, name), staged }
}

/**
 * A new project with Quarry installed from `tarball`, plus TypeScript and Node's types when
 * `typescript`: `npm install --offline` against a lockfile assembled from the repository's.
 */
export function installProject(tarball: string, packageJson: Record<string, unknown>, options: { typescript?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'quarry-project-'))
  const repoLock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as Lockfile
  const root = repoLock.packages['']! as LockEntry & { dependencies: Record<string, string>; devDependencies: Record<string, string> }
  const spec = `file:${tarball}`
  const devDependencies: Record<string, string> = options.typescript
    ? { typescript: root.devDependencies.typescript!, '@types/node': root.devDependencies['@types/node']! }
    : {}
  const manifest = { name: 'quarry-user-project', version: '1.0.0', private: true, ...packageJson, dependencies: { quarry: spec }, devDependencies }
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2))

  const packages: Record<string, LockEntry> = {
    '': { name: manifest.name, version: manifest.version, dependencies: { quarry: spec }, devDependencies },
    'node_modules/quarry': {
      version: root.version,
      resolved: spec,
      integrity: `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`,
      dependencies: root.dependencies,
      bin: root.bin,
      engines: root.engines,
    },
  }
  const wanted = (path: string) =>
    options.typescript && /^node_modules\/(typescript|@typescript\/[^/]+|@types\/node|undici-types)$/.test(path)
  for (const [path, entry] of Object.entries(repoLock.packages)) {
    if (!path || entry.link) continue
    if (entry.dev && !wanted(path)) continue
    packages[path] = entry
  }
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ name: manifest.name, lockfileVersion: 3, requires: true, packages }, null, 2))

  // The repository's built better-sqlite3, so that npm finds it installed and compiles nothing.
  mkdirSync(join(dir, 'node_modules'))
  cpSync(join(REPO, 'node_modules/better-sqlite3'), join(dir, 'node_modules/better-sqlite3'), { recursive: true })
  mustRun(dir, 'npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error'])
  return dir
}

/**
 * A project whose `quarry` is a link to a checkout of Quarry (src/ and a build side by side), as
 * `npm install ../quarry` makes it: the layout where the CLI and the project once loaded two
 * copies of Quarry.
 */
export function linkedProject(staged: string): string {
  const checkout = mkdtempSync(join(tmpdir(), 'quarry-checkout-'))
  for (const entry of readdirSync(staged)) cpSync(join(staged, entry), join(checkout, entry), { recursive: true })
  cpSync(join(REPO, 'src'), join(checkout, 'src'), { recursive: true })
  symlinkSync(join(REPO, 'node_modules'), join(checkout, 'node_modules'))
  const dir = mkdtempSync(join(tmpdir(), 'quarry-linked-'))
  mkdirSync(join(dir, 'node_modules'))
  symlinkSync(checkout, join(dir, 'node_modules/quarry'))
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'linked-project', private: true, type: 'module' }, null, 2))
  return dir
}

/** Writes `files` (paths relative to `dir`), making their folders. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
}
