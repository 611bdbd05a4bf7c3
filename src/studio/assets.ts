import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/**
 * The page's files live in the package's `assets/studio/` folder, two levels above this module
 * both in `src/studio/` (a checkout) and in `dist/studio/` (the published package).
 */
export const ASSETS_DIRECTORY = fileURLToPath(new URL('../../assets/studio/', import.meta.url))

const TYPES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'studio.js': 'text/javascript; charset=utf-8',
  'studio.css': 'text/css; charset=utf-8',
}

/** The asset named `name` (one of the page's three files) and its content type, or undefined. */
export function readAsset(name: string): { body: Buffer; type: string } | undefined {
  const type = TYPES[name]
  if (!type) return undefined
  const path = `${ASSETS_DIRECTORY}${name}`
  if (!existsSync(path)) return undefined
  return { body: readFileSync(path), type }
}
