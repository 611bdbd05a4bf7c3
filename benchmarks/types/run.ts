// `npm run bench:types`: the type-check cost of a generated project (50 models, 100 query lines)
// for 3, 6, 12 and 20 relations per model, on TypeScript 7 and on the oldest 5.x Quarry supports.
// Quarry's declarations are emitted first, so the projects see Quarry as an installed package does.
//
//   npm run bench:types                         every size, both compilers; prints a Markdown table
//   npm run bench:types -- --relations 12 --compilers ts7 --queries 100 --models 50
//   npm run bench:types -- --dist <folder>      measure declarations emitted elsewhere (an older commit)
import { spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { join, relative } from 'node:path'
import { parseArgs } from 'node:util'
import { fileURLToPath } from 'node:url'
import { generateProject } from './generate.js'
import { COMPILERS, type CompilerName, measure, type Measurement } from './measure.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
/** Inside node_modules so the generated projects resolve Quarry's own dependencies (knex). */
const WORK = join(ROOT, 'node_modules', '.cache', 'quarry-types-bench')

const { values } = parseArgs({
  options: {
    relations: { type: 'string', default: '3,6,12,20' },
    compilers: { type: 'string', default: 'ts7,ts5' },
    models: { type: 'string', default: '50' },
    queries: { type: 'string', default: '100' },
    dist: { type: 'string' },
    timeout: { type: 'string', default: '600' },
  },
})

function emitDeclarations(): string {
  const out = join(WORK, 'dist')
  rmSync(out, { recursive: true, force: true })
  const run = spawnSync(process.execPath, [COMPILERS.ts7, '-p', join(ROOT, 'tsconfig.build.json'), '--emitDeclarationOnly', '--sourceMap', 'false', '--outDir', out], {
    encoding: 'utf8',
  })
  if (run.status !== 0) throw new Error(`emitting Quarry's declarations failed:\n${run.stdout}${run.stderr}`)
  return out
}

function cell(m: Measurement): string {
  if (m.timedOut) return `> ${values.timeout} s`
  const time = `check ${m.checkCpuSeconds.toFixed(2)} s CPU (${m.checkSeconds.toFixed(2)} s wall), total ${m.cpuSeconds.toFixed(2)} s CPU`
  return `${m.instantiations.toLocaleString('en')} inst., ${m.types.toLocaleString('en')} types, ${time}, ${m.maxRssMb} MB${m.ok ? '' : ' **errors**'}`
}

const dist = values.dist ?? emitDeclarations()
const compilers = values.compilers.split(',') as CompilerName[]
const rows: string[] = []
for (const relations of values.relations.split(',').map(Number)) {
  const dir = join(WORK, `${values.dist ? 'given-' : ''}r${relations}`)
  generateProject({ dir, models: Number(values.models), relations, queries: Number(values.queries), quarry: `${relative(dir, dist)}/index.js` })
  const cells: string[] = []
  for (const compiler of compilers) {
    const m = measure(dir, compiler, Number(values.timeout) * 1000)
    if (!m.ok && m.errors) console.error(`${compiler}, ${relations} relations:\n${m.errors}`)
    console.error(`${compiler} ${m.version}, ${relations} relations: ${cell(m)}`)
    cells.push(cell(m))
  }
  rows.push(`| ${relations} | ${cells.join(' | ')} |`)
}
const versions = compilers.map((c) => `TypeScript ${spawnSync(process.execPath, [COMPILERS[c], '-v'], { encoding: 'utf8' }).stdout.trim().replace(/^Version /, '')}`)
console.log(`| relations per model | ${versions.join(' | ')} |`)
console.log(`|---|${compilers.map(() => '---').join('|')}|`)
for (const row of rows) console.log(row)
