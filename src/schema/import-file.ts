import { register } from 'node:module'
import { pathToFileURL } from 'node:url'

let loaderRegistered = false

/**
 * Imports a migration, seeder or config file. A TypeScript file that plain Node cannot load
 * gets Quarry's loader (swc: types stripped, decorators compiled) registered, then is imported
 * again, so users never compile their migrations first.
 */
export async function importFile(path: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(path).href
  try {
    return (await import(url)) as Record<string, unknown>
  } catch (error) {
    if (!isUnknownExtension(error) || loaderRegistered) throw error
    registerTypeScriptLoader()
    return (await import(`${url}?ts`)) as Record<string, unknown>
  }
}

/** Registers Quarry's TypeScript loader for the rest of the process (once). */
export function registerTypeScriptLoader(): void {
  if (loaderRegistered) return
  register(new URL('../../loader/hooks.js', import.meta.url))
  loaderRegistered = true
}

function isUnknownExtension(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'ERR_UNKNOWN_FILE_EXTENSION'
}
