import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { defineFactory, Factory, QuarryError } from '../../src/index.js'
import { fakerEntry, resolveFakerFrom } from '../../src/factories/faker-loader.js'
import { Member } from './models.js'

// A project folder without @faker-js/faker: resolution from it fails as it would in a project
// that never installed it (no module system is mocked; the lookup really runs from there).
const empty = mkdtempSync(join(tmpdir(), 'quarry-no-faker-'))
const emptyUrl = pathToFileURL(join(empty, 'index.js'))

afterEach(() => resolveFakerFrom(undefined))
afterAll(() => rmSync(empty, { recursive: true, force: true }))

describe('faker, an optional peer dependency', () => {
  it('is found from Quarry itself when installed', async () => {
    expect(fakerEntry()).toMatch(/@faker-js[\\/]faker[\\/]/)
    const faker = await Factory.loadFaker()
    expect(typeof faker.person.fullName()).toBe('string')
  })

  it('missing, is a QuarryError with the command that installs it, the first time a definition uses it', async () => {
    expect(() => fakerEntry(emptyUrl)).toThrow(QuarryError)
    expect(() => fakerEntry(emptyUrl)).toThrow('Factories use @faker-js/faker for fake data, and it is not installed. Install it with: npm install --save-dev @faker-js/faker')
    resolveFakerFrom(emptyUrl)
    const usesFaker = defineFactory(Member, ({ faker }) => ({ name: faker.person.fullName() }))
    expect(() => usesFaker.make()).toThrow(/it is not installed\. Install it with: npm install --save-dev @faker-js\/faker/)
    expect(() => usesFaker.count(2).raw()).toThrow(QuarryError)
    await expect(Factory.loadFaker()).rejects.toThrow(/npm install --save-dev @faker-js\/faker/)
    // A definition that never touches faker needs no faker at all.
    const plain = defineFactory(Member, ({ sequence }) => ({ email: `m${sequence}@example.test`, name: 'Plain' }))
    expect(plain.make().name).toBe('Plain')
  })

  it('useFaker() swaps the instance (a locale) and Factory.seed() seeds whichever is in use', async () => {
    const { fakerDE } = await import('@faker-js/faker')
    Factory.useFaker(fakerDE)
    const names = defineFactory(Member, ({ faker }) => ({ name: faker.location.country() }))
    Factory.seed(3)
    const first = names.count(3).raw().map((r) => r.name)
    Factory.seed(3)
    expect(names.count(3).raw().map((r) => r.name)).toEqual(first)
    expect(() => Factory.useFaker({} as never)).toThrow(/Factory\.useFaker\(\) takes a Faker instance/)
    expect(() => Factory.seed(1.5)).toThrow(/Factory\.seed\(\) takes an integer/)
  })
})
