// Node module hooks that run TypeScript files: swc strips the types and compiles legacy
// decorators with their design-time metadata (what `tsc` with experimentalDecorators and
// emitDecoratorMetadata would emit), and `./x.js` imports find `./x.ts` as TypeScript's
// ESM convention expects.
import { createHash } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { transform } from '@swc/core'

// Compiled output is cached by the source's content, so a process that loads the same files
// again (every CLI command, every test spawn) skips swc. QUARRY_TS_CACHE=0 turns it off.
const CACHE = process.env.QUARRY_TS_CACHE === '0' ? undefined : join(tmpdir(), `quarry-ts-cache-${safeUser()}-v1`)

function safeUser() {
  try {
    return userInfo().username.replace(/[^\w-]/g, '_')
  } catch {
    return 'user'
  }
}

const TYPESCRIPT = /\.(m?ts|tsx)$/

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context)
  } catch (error) {
    const relative = specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('/') || specifier.startsWith('file:')
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
  const key = CACHE && createHash('sha256').update(filename).update('\0').update(source).digest('hex')
  if (key) {
    const cached = await readFile(join(CACHE, `${key}.js`), 'utf8').catch(() => undefined)
    if (cached !== undefined) return { format: 'module', source: cached, shortCircuit: true }
  }
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
  if (key) await store(key, code)
  return { format: 'module', source: code, shortCircuit: true }
}

async function store(key, code) {
  try {
    await mkdir(CACHE, { recursive: true })
    // Write then rename, so a concurrent reader never sees half a file.
    const temporary = join(CACHE, `${key}.${process.pid}.tmp`)
    await writeFile(temporary, code)
    await rename(temporary, join(CACHE, `${key}.js`))
  } catch {
    // A cache that cannot be written only costs speed.
  }
}
