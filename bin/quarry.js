#!/usr/bin/env node
// The `quarry` command. Quarry's loader is registered first, so that quarry.config.ts and
// TypeScript migrations load without a build step. In a checkout of Quarry itself (src/ beside
// bin/) the CLI runs from source, and a project's `import … from 'quarry'` that finds no
// installed copy gets that source too; an installed package runs its build.
import { existsSync } from 'node:fs'
import { register } from 'node:module'
import { fileURLToPath } from 'node:url'
import '../loader/register.js'

const root = new URL('../', import.meta.url)
const source = new URL('src/cli/main.ts', root)
const fromSource = existsSync(fileURLToPath(source))

if (fromSource) {
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
  register(`data:text/javascript,${encodeURIComponent(hook)}`, { data: { target: new URL('src/index.ts', root).href } })
}

const { main } = await import(fromSource ? source.href : new URL('dist/cli/main.js', root).href)
process.exitCode = await main(process.argv.slice(2))
