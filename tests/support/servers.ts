// Which database servers the suite can reach, shared by the global setup and the helpers.

export const SERVER_DIALECTS = ['postgres', 'mysql'] as const
export const EMBEDDED_DIALECTS = ['sqlite', 'libsql'] as const
export type ServerDialect = (typeof SERVER_DIALECTS)[number]
export type TestDialect = ServerDialect | (typeof EMBEDDED_DIALECTS)[number]
export const ALL_DIALECTS: readonly TestDialect[] = ['sqlite', 'libsql', 'postgres', 'mysql']

/** Where each server is expected unless overridden; the machine's local services. */
export const DEFAULT_URLS: Record<ServerDialect, string> = {
  postgres: 'postgres://postgres@127.0.0.1:5432/test',
  mysql: 'mysql://root@127.0.0.1:3306/test',
}

export const URL_ENV: Record<ServerDialect, string> = {
  postgres: 'QUARRY_TEST_POSTGRES_URL',
  mysql: 'QUARRY_TEST_MYSQL_URL',
}

/** The dialects asked for with QUARRY_TEST_DIALECTS=sqlite,postgres (all when unset). */
export function requestedDialects(): TestDialect[] {
  const raw = process.env.QUARRY_TEST_DIALECTS
  if (!raw) return [...ALL_DIALECTS]
  const asked = raw.split(',').map((d) => d.trim()).filter(Boolean)
  const unknown = asked.filter((d) => !ALL_DIALECTS.includes(d as TestDialect))
  if (unknown.length) {
    throw new Error(`QUARRY_TEST_DIALECTS names unknown dialects: ${unknown.join(', ')}; known: ${ALL_DIALECTS.join(', ')}`)
  }
  return asked as TestDialect[]
}

/** Prefix of the databases the suite creates, one per test file and dialect. */
export const TEST_DATABASE_PREFIX = 'quarry_t_'

/** `quarry_t_<seconds since epoch>_<random>`: the name says when it was made. */
export function testDatabaseName(random: string): string {
  return `${TEST_DATABASE_PREFIX}${Math.floor(Date.now() / 1000)}_${random}`
}

/**
 * A database a crashed run left behind: made over `maxAgeSeconds` ago (runs going on at the same
 * time, from other terminals, keep theirs).
 */
export function isAbandoned(name: string, maxAgeSeconds = 2 * 60 * 60): boolean {
  const made = Number(/^quarry_t_(\d+)_/.exec(name)?.[1])
  return !Number.isFinite(made) || Date.now() / 1000 - made > maxAgeSeconds
}
