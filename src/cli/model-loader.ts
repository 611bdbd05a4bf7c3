import { existsSync, readdirSync, statSync } from 'node:fs'
import { extname, join, relative } from 'node:path'
import { QuarryError } from '../errors/index.js'
import { Model } from '../model/model.js'
import { importFile } from '../schema/import-file.js'

const EXTENSIONS = new Set(['.ts', '.mts', '.js', '.mjs'])

/** A model class found in the models directory, with the file that exports it. */
export interface LoadedModel {
  name: string
  model: typeof Model
  file: string
}

/**
 * Imports every file of `directory` (and its subfolders) through Quarry's TypeScript loader and
 * collects the model classes they export, by class name. A missing directory is a `QuarryError`
 * that says how to set it.
 */
export async function loadModels(directory: string, cwd: string): Promise<LoadedModel[]> {
  if (!existsSync(directory) || !statSync(directory).isDirectory()) {
    throw new QuarryError(
      `The models directory ${relative(cwd, directory) || directory} does not exist: set models: { directory } in quarry.config.ts, or create a model with: npx quarry make:model User`,
    )
  }
  const found = new Map<typeof Model, LoadedModel>()
  for (const file of files(directory)) {
    let module: Record<string, unknown>
    try {
      module = await importFile(file)
    } catch (error) {
      throw new QuarryError(`${relative(cwd, file)} could not be loaded: ${(error as Error).message}`, { cause: error })
    }
    for (const value of Object.values(module)) {
      if (typeof value === 'function' && value.prototype instanceof Model && !found.has(value as typeof Model)) {
        found.set(value as typeof Model, { name: value.name, model: value as typeof Model, file })
      }
    }
  }
  return [...found.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

/** The model named `name` (its class name, any case), or a `QuarryError` listing the ones there are. */
export function findModel(models: readonly LoadedModel[], name: string, directory: string): LoadedModel {
  const found = models.find((m) => m.name === name) ?? models.find((m) => m.name.toLowerCase() === name.toLowerCase())
  if (found) return found
  const known = models.length ? `the models are: ${models.map((m) => m.name).join(', ')}` : 'it exports no model'
  throw new QuarryError(`No model named ${name} in ${directory}; ${known}`)
}

function files(directory: string): string[] {
  const out: string[] = []
  for (const entry of readdirSync(directory, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(directory, entry.name)
    if (entry.isDirectory()) out.push(...files(path))
    else if (EXTENSIONS.has(extname(entry.name)) && !/\.d\.m?ts$/.test(entry.name) && !/\.(test|spec)\.m?[jt]s$/.test(entry.name)) out.push(path)
  }
  return out
}
