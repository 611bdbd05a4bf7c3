import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { type Database, MigrationError, Migrator } from '../../src/index.js'
import type { ScriptSyntax } from '../../src/dialects/dialect.js'
import { dialectFor } from '../../src/dialects/registry.js'
import { splitSqlScript } from '../../src/schema/sql-script.js'
import { wipeDatabase } from '../../src/schema/wipe-database.js'
import { forEachDialect, type TestDialect } from '../support/databases.js'

const SRC = resolve(import.meta.dirname, '../../src/index.ts')

const syntax = (dialect: TestDialect): ScriptSyntax => dialectFor(dialect).script
const sqls = (text: string, dialect: TestDialect) => splitSqlScript(text, syntax(dialect)).map((s) => s.sql)

describe('splitting SQL scripts', () => {
  it('ends statements at semicolons outside strings, identifiers and comments; drops comment-only pieces', () => {
    const text = [
      '-- a comment; with a semicolon',
      "create table a (x text default 'a;b''c');",
      '/* block; comment */',
      'insert into "we;ird" values (\'?\');  -- trailing; comment',
      '',
      'select 1',
    ].join('\n')
    for (const dialect of ['sqlite', 'postgres', 'mysql'] as const) {
      expect(sqls(text, dialect)).toEqual([
        "create table a (x text default 'a;b''c')",
        'insert into "we;ird" values (\'?\')',
        'select 1',
      ])
    }
    expect(splitSqlScript('\n\nselect 1;\n\nselect 2;', syntax('sqlite')).map((s) => s.line)).toEqual([3, 5])
    expect(sqls('-- only a comment\n/* and another */\n', 'postgres')).toEqual([])
  })

  it('PostgreSQL: dollar-quoted bodies, E-strings and nested comments', () => {
    const fn = 'create function f() returns trigger as $body$ begin new.a := \'x;\'; return new; end; $body$ language plpgsql'
    expect(sqls(`${fn};\ndo $$ begin perform 1; end $$;\nselect E'it\\'s;';\n/* a /* nested; */ comment */ select 2;`, 'postgres')).toEqual([
      fn,
      'do $$ begin perform 1; end $$',
      "select E'it\\'s;'",
      'select 2',
    ])
    expect(sqls('select $1; select a$b;', 'postgres')).toEqual(['select $1', 'select a$b'])
  })

  it('MySQL: backslash escapes, backticks, # comments and DELIMITER', () => {
    const text = [
      "insert into `t;1` values ('it\\'s;');",
      '# a hash comment;',
      'DELIMITER //',
      'create trigger t before insert on x for each row begin set new.a = 1; set new.b = 2; end//',
      'DELIMITER ;',
      'select 1;',
    ].join('\n')
    expect(sqls(text, 'mysql')).toEqual([
      "insert into `t;1` values ('it\\'s;')",
      'create trigger t before insert on x for each row begin set new.a = 1; set new.b = 2; end',
      'select 1',
    ])
  })

  it('SQLite: a trigger body is one statement', () => {
    const trigger = 'create trigger t after insert on a begin insert into b values (1); update c set n = n + 1; end'
    expect(sqls(`${trigger};\nselect [we;ird] from a;`, 'sqlite')).toEqual([trigger, 'select [we;ird] from a'])
  })

  it('refuses unterminated strings, identifiers, comments and dollar bodies, naming the line', () => {
    expect(() => splitSqlScript("select 1;\nselect 'oops;\n", syntax('sqlite'))).toThrow(/string opened with ' on line 2 is never closed/)
    expect(() => splitSqlScript('select "x', syntax('postgres'))).toThrow(/quoted identifier opened with " on line 1/)
    expect(() => splitSqlScript('\n\n/* never closed', syntax('mysql'))).toThrow(/comment opened with \/\* on line 3/)
    expect(() => splitSqlScript('do $x$ begin', syntax('postgres'))).toThrow(/dollar-quoted body opened with \$x\$ on line 1/)
    expect(() => splitSqlScript('/* /* */ still open', syntax('postgres'))).toThrow(/never closed/)
  })
})

async function tableNames(db: Database): Promise<string[]> {
  return (await db.schema.getTables()).map((t) => t.name).filter((n) => !n.startsWith('quarry_'))
}

/** Per dialect: a script whose body holds semicolons the splitter must keep. */
function programmable(dialect: TestDialect): { up: string; down: string; check: (db: Database) => Promise<void> } {
  if (dialect === 'postgres') {
    return {
      up: "create function shout(t text) returns text as $$ begin return upper(t) || '!;'; end; $$ language plpgsql;\n",
      down: 'drop function shout(text);\n',
      check: async (db) => expect((await db.raw("select shout('hi') as v"))[0]!.v).toBe('HI!;'),
    }
  }
  if (dialect === 'mysql') {
    return {
      up: 'DELIMITER //\ncreate trigger players_name before insert on players for each row begin set new.name = upper(new.name); set new.name = concat(new.name, \';\'); end//\nDELIMITER ;\n',
      down: 'drop trigger players_name;\n',
      check: async (db) => {
        await db.raw("insert into players (id, name) values (2, 'ann')")
        expect((await db.raw('select name from players'))[0]!.name).toBe('ANN;')
      },
    }
  }
  return {
    up: "create trigger players_name after insert on players begin update players set name = upper(new.name) where id = new.id; update players set name = name || ';' where id = new.id; end;\n",
    down: 'drop trigger players_name;\n',
    check: async (db) => {
      await db.raw("insert into players (id, name) values (2, 'ann')")
      expect((await db.raw('select name from players'))[0]!.name).toBe('ANN;')
    },
  }
}

forEachDialect('SQL migration pairs', (ctx) => {
  const transactional = () => ctx.db.connection().dialect.supports.transactionalDdl
  beforeEach(async () => {
    await wipeDatabase(ctx.db.connection())
  })

  it('run beside TypeScript migrations in name order, are recorded, and roll back through .down.sql', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quarry-sql-'))
    writeFileSync(
      join(dir, '2026_06_01_000000_create_teams.ts'),
      `import { Migration } from ${JSON.stringify(SRC)}\n` +
        `export default class extends Migration {\n` +
        `  async up(): Promise<void> { await this.schema.createTable('teams', (t) => { t.id(); t.string('name') }) }\n` +
        `  async down(): Promise<void> { await this.schema.dropTable('teams') }\n}\n`,
    )
    writeFileSync(
      join(dir, '2026_06_01_000001_create_players.up.sql'),
      "-- players; and a row whose text holds ; and ?\ncreate table players (id integer primary key, name varchar(50) not null default 'new;player?');\n\n" +
        "insert into players (id, name) values (1, 'it''s; fine?');\n",
    )
    writeFileSync(join(dir, '2026_06_01_000001_create_players.down.sql'), 'drop table players;\n')
    const migrator = new Migrator(ctx.db, { directory: dir })
    expect((await migrator.status()).map((s) => s.name)).toEqual(['2026_06_01_000000_create_teams', '2026_06_01_000001_create_players'])

    const run = await migrator.latest()
    expect(run.migrations.map((m) => m.name)).toEqual(['2026_06_01_000000_create_teams', '2026_06_01_000001_create_players'])
    expect(run.migrations[1]!.statements.map((s) => s.sql.replace(/\s+/g, ' '))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^create table players/), expect.stringMatching(/^insert into players/)]),
    )
    expect(await ctx.db.table('players').select('id', 'name')).toEqual([{ id: 1, name: "it's; fine?" }])
    expect((await ctx.db.schema.getColumns('players')).find((c) => c.name === 'name')!.default).toMatch(/new;player\?/)
    expect((await ctx.db.table('quarry_migrations').orderBy('id').select('name', 'batch'))).toEqual([
      { name: '2026_06_01_000000_create_teams', batch: 1 },
      { name: '2026_06_01_000001_create_players', batch: 1 },
    ])

    // A pair with a body full of semicolons, in the dialect's own syntax.
    await ctx.db.table('players').delete()
    const script = programmable(ctx.dialect)
    writeFileSync(join(dir, '2026_06_01_000002_programmable.up.sql'), script.up)
    writeFileSync(join(dir, '2026_06_01_000002_programmable.down.sql'), script.down)
    expect((await migrator.latest()).migrations.map((m) => m.name)).toEqual(['2026_06_01_000002_programmable'])
    await script.check(ctx.db)

    const back = await migrator.rollback()
    expect(back.migrations.map((m) => [m.name, m.direction])).toEqual([['2026_06_01_000002_programmable', 'down']])
    await migrator.rollback()
    expect(await tableNames(ctx.db)).toEqual([])
    expect(Number((await ctx.db.table('quarry_migrations').count('* as n'))[0]!.n)).toBe(0)

    // A dry run reports the file's statements and sends none.
    const dry = await migrator.latest({ dryRun: true })
    expect(dry.migrations[1]!.statements.map((s) => s.sql)).toContain("insert into players (id, name) values (1, 'it''s; fine?')")
    expect(await tableNames(ctx.db)).toEqual([])
  })

  it('sequence-numbered pairs sort by name with the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quarry-sql-'))
    writeFileSync(join(dir, '002_second.up.sql'), 'create table second_t (id integer primary key);')
    writeFileSync(join(dir, '002_second.down.sql'), 'drop table second_t;')
    writeFileSync(join(dir, '001_first.up.sql'), 'create table first_t (id integer primary key);')
    writeFileSync(join(dir, '001_first.down.sql'), 'drop table first_t;')
    const migrator = new Migrator(ctx.db, { directory: dir })
    expect((await migrator.latest()).migrations.map((m) => m.name)).toEqual(['001_first', '002_second'])
    await migrator.reset()
    expect(await tableNames(ctx.db)).toEqual([])
  })

  it('refuses a pair missing its down, naming the file, before running anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quarry-sql-'))
    writeFileSync(join(dir, '001_ok.up.sql'), 'create table ok_t (id integer primary key);')
    writeFileSync(join(dir, '001_ok.down.sql'), 'drop table ok_t;')
    writeFileSync(join(dir, '002_half.up.sql'), 'create table half_t (id integer primary key);')
    const error = (await new Migrator(ctx.db, { directory: dir }).latest().catch((e: unknown) => e)) as MigrationError
    expect(error).toBeInstanceOf(MigrationError)
    expect(error.message).toMatch(/002_half\.up\.sql has no 002_half\.down\.sql beside it/)
    expect(await tableNames(ctx.db)).toEqual([])

    const orphan = mkdtempSync(join(tmpdir(), 'quarry-sql-'))
    writeFileSync(join(orphan, '003_gone.down.sql'), 'drop table gone;')
    await expect(new Migrator(ctx.db, { directory: orphan }).status()).rejects.toThrow(/003_gone\.down\.sql has no 003_gone\.up\.sql/)
    const loose = mkdtempSync(join(tmpdir(), 'quarry-sql-'))
    writeFileSync(join(loose, 'schema.sql'), 'select 1;')
    await expect(new Migrator(ctx.db, { directory: loose }).status()).rejects.toThrow(/schema\.sql .*a pair of files/)
  })

  it('an unsplittable file is refused before any of it is sent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quarry-sql-'))
    writeFileSync(join(dir, '001_bad.up.sql'), "create table bad_t (id integer primary key);\ninsert into bad_t values (1, 'unterminated);\n")
    writeFileSync(join(dir, '001_bad.down.sql'), 'drop table bad_t;')
    const error = (await new Migrator(ctx.db, { directory: dir }).latest().catch((e: unknown) => e)) as MigrationError
    expect(error).toBeInstanceOf(MigrationError)
    expect(error.message).toMatch(/001_bad\.up\.sql \(migration 001_bad\) cannot be split into statements: the string opened with ' on line 2 is never closed/)
    expect(await tableNames(ctx.db)).toEqual([])
    expect(await ctx.db.table('quarry_migrations').select('name')).toEqual([])
  })

  it('a failing statement leaves nothing half-applied where DDL is transactional, and says what remains where not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quarry-sql-'))
    writeFileSync(join(dir, '001_fails.up.sql'), 'create table fails_t (id integer primary key);\ninsert into no_such_table values (1);\n')
    writeFileSync(join(dir, '001_fails.down.sql'), 'drop table fails_t;')
    const error = (await new Migrator(ctx.db, { directory: dir }).latest().catch((e: unknown) => e)) as MigrationError
    expect(error).toBeInstanceOf(MigrationError)
    expect(error.message).toMatch(/Migration 001_fails failed/)
    expect(error.message).toContain(join(dir, '001_fails.up.sql'))
    expect(error.details.statement).toMatch(/insert into no_such_table/)
    expect(await ctx.db.table('quarry_migrations').select('name')).toEqual([])
    if (transactional()) {
      expect(error.message).toMatch(/rolled back: nothing of this migration was applied/)
      expect(await tableNames(ctx.db)).toEqual([])
    } else {
      expect(error.message).toMatch(/had already run and remain applied:\n\s+create table fails_t/)
      expect(error.details.executed).toEqual([expect.stringMatching(/^create table fails_t/)])
      await ctx.db.raw('drop table fails_t')
    }
  })
})
