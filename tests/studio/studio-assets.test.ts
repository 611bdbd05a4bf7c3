// The page's files ship in the package and are found both from src/ (a checkout, the tests) and
// from dist/ (the published build): each is two folders below the package root.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ASSETS_DIRECTORY, readAsset } from '../../src/studio/assets.js'

const ROOT = resolve(import.meta.dirname, '../..')

describe('studio assets', () => {
  it('are in assets/studio, which package.json ships', () => {
    expect(ASSETS_DIRECTORY).toBe(`${ROOT}/assets/studio/`)
    const pkg = JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')) as { files: string[] }
    expect(pkg.files).toContain('assets')
  })

  it('sit two folders above the studio module in the build as in the source', () => {
    const build = JSON.parse(readFileSync(`${ROOT}/tsconfig.build.json`, 'utf8')) as { compilerOptions: { outDir: string; rootDir: string } }
    expect(resolve(ROOT, build.compilerOptions.outDir, 'studio', '../..')).toBe(ROOT)
    expect(resolve(ROOT, build.compilerOptions.rootDir, 'studio', '../..')).toBe(ROOT)
  })

  it('serves only its three files, with their types', () => {
    expect(readAsset('index.html')?.type).toMatch(/^text\/html/)
    expect(readAsset('studio.js')?.type).toMatch(/^text\/javascript/)
    expect(readAsset('studio.css')?.type).toMatch(/^text\/css/)
    for (const name of ['../package.json', 'studio.ts', '', 'index.htm']) expect(readAsset(name)).toBeUndefined()
  })
})
