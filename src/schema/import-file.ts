import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { register } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const TYPESCRIPT = /\.(m?ts|tsx)$/
let loaderRegistered = false
let typescriptReady: Promise<void> | undefined

/**
 * Imports a migration, seeder or config file. Before the first TypeScript file, Quarry's loader
 * (swc: types stripped, decorators compiled with their metadata) is registered unless something
 * already loads decorated TypeScript (Quarry's own CLI, tsx, vitest), so users never compile
 * their migrations first.
 */
export async function importFile(path: string): Promise<Record<string, unknown>> {
  if (TYPESCRIPT.test(path)) await ensureTypeScript()
  return (await import(pathToFileURL(path).href)) as Record<string, unknown>
}

/** Registers Quarry's TypeScript loader for the rest of the process (once). */
export function registerTypeScriptLoader(): void {
  if (loaderRegistered) return
  register(new URL('../../loader/hooks.js', import.meta.url))
  loaderRegistered = true
}

/**
 * A failed import stays failed for the life of the process, so the question "can this process
 * load decorated TypeScript?" is asked of a throwaway file, not of the user's.
 */
function ensureTypeScript(): Promise<void> {
  typescriptReady ??= (async () => {
    if (loaderRegistered) return
    const dir = mkdtempSync(join(tmpdir(), 'quarry-ts-probe-'))
    const probe = join(dir, 'probe.ts')
    writeFileSync(probe, 'function mark(_target: object, _key: string): void {}\nexport class Probe { @mark value: number = 1 }\n')
    try {
      await import(pathToFileURL(probe).href)
    } catch {
      registerTypeScriptLoader()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })()
  return typescriptReady
}
