// A ceiling on the type-check cost of query lines (issue 17), so a change to the types that makes
// checking a relation path grow with the number of relations fails `npm test`. It emits Quarry's
// declarations, generates two small projects (20 models, 40 query lines; 3 and 12 relations per
// model; benchmarks/types/generate.ts) and reads TypeScript 7's instantiation and type counts.
// `npm run bench:types` measures the full-size projects.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, expect, it } from 'vitest'
import { generateProject } from '../../benchmarks/types/generate.js'
import { COMPILERS, measure, type Measurement } from '../../benchmarks/types/measure.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
// Inside node_modules, so the generated projects resolve knex as an installed Quarry would.
const work = mkdtempSync(join(ROOT, 'node_modules', '.cache-quarry-type-cost-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

const MODELS = 20
const QUERIES = 40
/** Instantiations per query line at 12 relations per model; measured 1,200 (TypeScript 7.0.2). */
const PER_LINE_CEILING = 1_600
/** How much dearer a query line may be at 12 relations than at 3; measured 1.09. */
const GROWTH_CEILING = 1.5
/** Instantiations per relation declared (its decorator's checks); measured 47. */
const PER_RELATION_CEILING = 120
/**
 * Types made per query line at 12 relations; measured 195. Building every dotted path (the
 * types before issue 17) made 136,000 per line here, with about as many instantiations as now.
 */
const TYPES_PER_LINE_CEILING = 600

/** Instantiations (and types) of the project with `relations` per model, without and with the query lines. */
function instantiations(relations: number): { models: number; perLine: number; typesPerLine: number } {
  const [models, all] = [0, QUERIES].map((queries) => {
    const dir = join(work, `r${relations}-q${queries}`)
    generateProject({ dir, models: MODELS, relations, queries, quarry: '../dist/index.js' })
    const m = measure(dir, 'ts7', 120_000)
    expect(m.timedOut, `checking the generated project (${relations} relations, ${queries} queries) took over 120 s`).toBe(false)
    expect(m.errors, `the generated project (${relations} relations, ${queries} queries) must compile`).toBe('')
    expect(m.ok).toBe(true)
    return m
  }) as [Measurement, Measurement]
  return { models: models.instantiations, perLine: (all.instantiations - models.instantiations) / QUERIES, typesPerLine: (all.types - models.types) / QUERIES }
}

it('a query line costs about the same whatever the number of relations, and a relation declared little, under ceilings', { timeout: 300_000 }, () => {
  const emit = spawnSync(process.execPath, [COMPILERS.ts7, '-p', join(ROOT, 'tsconfig.build.json'), '--emitDeclarationOnly', '--sourceMap', 'false', '--outDir', join(work, 'dist')], {
    encoding: 'utf8',
  })
  expect(`${emit.stdout}${emit.stderr}`).toBe('')
  const few = instantiations(3)
  const many = instantiations(12)
  expect(many.perLine, `instantiations per query line at 12 relations: ${many.perLine}`).toBeLessThan(PER_LINE_CEILING)
  expect(many.perLine / few.perLine, `per-line cost at 12 relations / at 3: ${many.perLine} / ${few.perLine}`).toBeLessThan(GROWTH_CEILING)
  expect(many.typesPerLine, `types per query line at 12 relations: ${many.typesPerLine}`).toBeLessThan(TYPES_PER_LINE_CEILING)
  const perRelation = (many.models - few.models) / (MODELS * 9)
  expect(perRelation, `instantiations per relation declared: ${perRelation}`).toBeLessThan(PER_RELATION_CEILING)
})
