// Node module hooks that run TypeScript files: swc strips the types and compiles legacy
// decorators with their design-time metadata (what `tsc` with experimentalDecorators and
// emitDecoratorMetadata would emit), and `./x.js` imports find `./x.ts` as TypeScript's
// ESM convention expects.
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { transform } from '@swc/core'

const TYPESCRIPT = /\.(m?ts|tsx)$/

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context)
  } catch (error) {
    const relative = specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('file:')
    if (error?.code === 'ERR_MODULE_NOT_FOUND' && relative && /\.m?js$/.test(specifier)) {
      return nextResolve(specifier.replace(/\.js$/, '.ts').replace(/\.mjs$/, '.mts'), context)
    }
    throw error
  }
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !TYPESCRIPT.test(url) || url.includes('/node_modules/')) {
    return nextLoad(url, context)
  }
  const filename = fileURLToPath(url)
  const source = await readFile(filename, 'utf8')
  const { code } = await transform(source, {
    filename,
    sourceMaps: 'inline',
    module: { type: 'es6' },
    jsc: {
      target: 'es2022',
      keepClassNames: true,
      parser: { syntax: 'typescript', decorators: true, tsx: url.endsWith('.tsx') },
      transform: { legacyDecorator: true, decoratorMetadata: true },
    },
  })
  return { format: 'module', source: code, shortCircuit: true }
}
