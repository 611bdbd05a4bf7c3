// The peers (Objection.js, Sequelize, TypeORM, sqlite3) are dependencies of benchmarks/ alone,
// installed into benchmarks/node_modules from benchmarks/package-lock.json the first time the suite runs.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const BENCH = fileURLToPath(new URL('../', import.meta.url))

/** The benchmarks' dependencies that are not installed. */
export function missingDependencies(): string[] {
  const manifest = JSON.parse(readFileSync(`${BENCH}package.json`, 'utf8')) as { dependencies: Record<string, string> }
  return Object.keys(manifest.dependencies).filter((name) => !existsSync(`${BENCH}node_modules/${name}/package.json`))
}

/** Runs `npm ci --prefix benchmarks` when something is missing; says how long it took. */
export function ensureInstalled(): void {
  const missing = missingDependencies()
  if (!missing.length) return
  console.error(`benchmarks: installing ${missing.join(', ')} into benchmarks/node_modules (npm ci --prefix benchmarks; sqlite3 builds from source, a few minutes)…`)
  const started = Date.now()
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  execFileSync(npm, ['ci', '--prefix', BENCH, '--no-audit', '--no-fund'], { stdio: 'inherit' })
  console.error(`benchmarks: installed in ${Math.round((Date.now() - started) / 1000)} s`)
}
