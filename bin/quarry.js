#!/usr/bin/env node
// The `quarry` command. Quarry's loader is registered first, so that quarry.config.ts and
// TypeScript migrations load without a build step.
//
// The CLI must run the very copy of Quarry that the project's own files get from
// `import … from 'quarry'`: its connection is what their models use. So it runs the build of the
// package the project resolves as 'quarry' (installed or linked; its source only when a linked
// checkout is unbuilt). Only when the project resolves no 'quarry' does it run its own copy —
// from source in a checkout of Quarry (src/ beside bin/), else its build — and then the project's
// 'quarry' imports get that same copy.
import { existsSync, realpathSync } from 'node:fs'
import { createRequire, register } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import '../loader/register.js'

const project = projectCopy(process.cwd())
const root = project ?? new URL('../', import.meta.url)
const build = new URL('dist/cli/main.js', root)
const source = new URL('src/cli/main.ts', root)
const fromSource = existsSync(fileURLToPath(source)) && (!project || !existsSync(fileURLToPath(build)))
const index = new URL(fromSource ? 'src/index.ts' : 'dist/index.js', root)

const hook = `
  let target
  export function initialize(data) { target = data.target }
  export async function resolve(specifier, context, next) {
    try {
      return await next(specifier, context)
    } catch (error) {
      if (specifier === 'quarry' && error?.code === 'ERR_MODULE_NOT_FOUND') return { url: target, shortCircuit: true }
      throw error
    }
  }`
register(`data:text/javascript,${encodeURIComponent(hook)}`, { data: { target: index.href } })

const { main } = await import(fromSource ? source.href : build.href)
process.exitCode = await main(process.argv.slice(2))

/** The root (a file URL ending in `/`) of the Quarry package `cwd` imports as 'quarry', if any. */
function projectCopy(cwd) {
  try {
    const manifest = createRequire(join(cwd, 'noop.js')).resolve('quarry/package.json')
    return pathToFileURL(join(realpathSync(manifest), '..', '/'))
  } catch {
    return undefined
  }
}
