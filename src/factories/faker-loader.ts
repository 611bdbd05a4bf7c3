import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import type { Faker } from '@faker-js/faker'
import { QuarryError } from '../errors/index.js'

/** The package factories take their fake data from (an optional peer dependency of Quarry). */
export const FAKER_PACKAGE = '@faker-js/faker'

const INSTALL_HINT = `npm install --save-dev ${FAKER_PACKAGE}`

let instance: Faker | undefined
let pendingSeed: number | undefined

/**
 * Where faker is looked up: Quarry's own location, so an installed Quarry finds the copy its
 * project installed beside it. A test (or an embedder) may resolve from another directory.
 */
let resolveFrom: string | URL = import.meta.url

/**
 * The file faker's main module lives in, as `require.resolve` finds it from `from`, or a
 * `QuarryError` naming the command that installs it.
 *
 * ```ts
 * fakerEntry('/tmp/empty-project/')   // QuarryError: … npm install --save-dev @faker-js/faker
 * ```
 */
export function fakerEntry(from: string | URL = resolveFrom): string {
  try {
    return createRequire(from).resolve(FAKER_PACKAGE)
  } catch (error) {
    throw missingFaker(error)
  }
}

function missingFaker(cause: unknown): QuarryError {
  return new QuarryError(
    `Factories use ${FAKER_PACKAGE} for fake data, and it is not installed. Install it with: ${INSTALL_HINT}`,
    { cause },
  )
}

function adopt(loaded: { faker?: Faker }): Faker {
  if (!instance) {
    if (!loaded.faker) throw new QuarryError(`${FAKER_PACKAGE} was found but exports no \`faker\`; install version 10 or later: ${INSTALL_HINT}`)
    instance = loaded.faker
    if (pendingSeed !== undefined) instance.seed(pendingSeed)
  }
  return instance
}

/**
 * Loads faker with a dynamic import, once (the async paths, `create()`, call this before they
 * run a definition). Resolves to the instance factories use.
 */
export async function loadFaker(from: string | URL = resolveFrom): Promise<Faker> {
  if (instance) return instance
  const entry = fakerEntry(from)
  return adopt((await import(pathToFileURL(entry).href)) as { faker?: Faker })
}

/**
 * Loads faker ahead of a `create()` when it is installed; when it is not, a definition that uses
 * `faker` reports it (one that does not needs no faker at all).
 */
export async function preloadFaker(): Promise<void> {
  if (instance) return
  try {
    await loadFaker()
  } catch (error) {
    if (!(error instanceof QuarryError)) throw error
  }
}

/**
 * The faker instance, loaded now if no factory loaded it yet. `make()` and `raw()` are
 * synchronous, so the first of them loads faker with `require` (Node ≥ 20.19 loads the ES module
 * synchronously; faker 10 needs that Node anyway).
 */
export function fakerNow(): Faker {
  if (instance) return instance
  const entry = fakerEntry()
  const require = createRequire(resolveFrom)
  try {
    return adopt(require(entry) as { faker?: Faker })
  } catch (error) {
    if (error instanceof QuarryError) throw error
    throw new QuarryError(
      `Could not load ${FAKER_PACKAGE} synchronously for make()/raw() (${(error as Error).message}); ` +
        'use Node 20.19 or later, or call `await Factory.loadFaker()` first',
      { cause: error },
    )
  }
}

/** Uses `faker` (a localised instance such as `fakerDE`) for every factory from now on. */
export function useFaker(faker: Faker): void {
  if (faker === null || typeof faker !== 'object' || typeof (faker as Faker).seed !== 'function') {
    throw new QuarryError(`Factory.useFaker() takes a Faker instance from ${FAKER_PACKAGE} (faker, fakerDE, …)`)
  }
  instance = faker
  if (pendingSeed !== undefined) instance.seed(pendingSeed)
}

/** Seeds faker now, or as soon as it loads. */
export function seedFaker(seed: number): void {
  pendingSeed = seed
  instance?.seed(seed)
}

/**
 * Resolves faker from `from` instead of Quarry's location (`undefined` puts the default back),
 * and forgets the instance loaded so far. For tests of the missing-package path and for
 * embedders with their own module layout.
 */
export function resolveFakerFrom(from: string | URL | undefined): void {
  resolveFrom = from ?? import.meta.url
  instance = undefined
}
