import type { ColumnInfo, ForeignKeyInfo } from '../dialects/dialect.js'
import type { DesiredColumn, DesiredForeignKey, DesiredTable } from './model-schema.js'
import { type ActualTable, describeChange, normalizeDefault, type SchemaChange } from './schema-diff.js'

type Line = string
/** Calls on one table: `create` or `alter`, with the lines of its callback. */
interface Block {
  table: string
  kind: 'create' | 'alter' | 'drop' | 'rename'
  lines: Line[]
  to?: string
}

const q = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
const list = (items: readonly string[]) => `[${items.map(q).join(', ')}]`

/**
 * A TypeScript migration (an `up` that makes `changes`, a `down` that undoes them) written with
 * Quarry's schema builder, one readable call per table.
 *
 * ```ts
 * writeMigration(diff.changes, 'quarry')   // "import { Migration } from 'quarry'\n…"
 * ```
 */
export function writeMigration(changes: readonly SchemaChange[], importFrom = 'quarry'): string {
  const up: Block[] = []
  const down: Block[] = []
  const of = <K extends SchemaChange['kind']>(kind: K) => changes.filter((c): c is Extract<SchemaChange, { kind: K }> => c.kind === kind)

  for (const c of of('renameTable')) {
    up.push({ table: c.from, kind: 'rename', to: c.to, lines: [] })
    down.unshift({ table: c.to, kind: 'rename', to: c.from, lines: [] })
  }
  // Existing tables: foreign keys and indexes out, renames, columns, indexes in.
  const tables = [...new Set(changes.filter((c) => 'table' in c && typeof c.table === 'string').map((c) => (c as { table: string }).table))]
  const phases: Array<{ up: Block[]; down: Block[] }> = []
  for (const table of tables) {
    const on = <T extends SchemaChange>(items: T[]) => items.filter((c) => (c as { table?: unknown }).table === table)
    const a: Block = { table, kind: 'alter', lines: [] }
    const aBack: Block = { table, kind: 'alter', lines: [] }
    for (const c of on(of('dropForeignKey'))) {
      a.lines.push(`t.dropForeign(${list(c.key.columns)}, ${q(c.key.name)})`)
      aBack.lines.push(foreignCode(c.key))
    }
    for (const c of on(of('dropIndex'))) {
      a.lines.push(`t.${c.index.unique ? 'dropUnique' : 'dropIndex'}(${list(c.index.columns)}, ${q(c.index.name)})`)
      aBack.lines.push(`t.${c.index.unique ? 'unique' : 'index'}(${list(c.index.columns)}, ${q(c.index.name)})`)
    }
    const b: Block = { table, kind: 'alter', lines: [] }
    const bBack: Block = { table, kind: 'alter', lines: [] }
    for (const c of on(of('renameColumn'))) {
      b.lines.push(`t.renameColumn(${q(c.from)}, ${q(c.to)})`)
      bBack.lines.push(`t.renameColumn(${q(c.to)}, ${q(c.from)})`)
    }
    const cBlock: Block = { table, kind: 'alter', lines: [] }
    const cBack: Block = { table, kind: 'alter', lines: [] }
    for (const c of on(of('addColumn'))) {
      if (!c.column.nullable && c.column.default === undefined) {
        cBlock.lines.push('// NOT NULL without a default: fails where the table already has rows (SQLite: always); give it a default or make it nullable')
      }
      cBlock.lines.push(columnCode(c.column))
      cBack.lines.push(`t.dropColumn(${q(c.column.name)})`)
    }
    for (const c of on(of('alterColumn'))) {
      cBlock.lines.push(`${columnCode(c.column)}.alter() // ${c.why.join(', ')}`)
      cBack.lines.push(`${actualColumnCode(c.was)}.alter()`)
    }
    for (const c of on(of('dropColumn'))) {
      cBlock.lines.push(`t.dropColumn(${q(c.column.name)})`)
      cBack.lines.push(actualColumnCode(c.column))
    }
    for (const c of on(of('addIndex'))) {
      cBlock.lines.push(`t.${c.index.unique ? 'unique' : 'index'}(${list(c.index.columns)})`)
      cBack.lines.push(`t.${c.index.unique ? 'dropUnique' : 'dropIndex'}(${list(c.index.columns)})`)
    }
    // Undone in the reverse order: an index goes before the column it covers.
    for (const block of [aBack, bBack, cBack]) block.lines.reverse()
    phases.push({ up: [a, b, cBlock], down: [cBack, bBack, aBack] })
  }
  for (const phase of [0, 1, 2]) for (const p of phases) up.push(p.up[phase]!)
  const downAlters: Block[] = []
  for (const phase of [0, 1, 2]) for (const p of phases) downAlters.push(p.down[phase]!)

  // New tables, referenced ones first; a foreign key closing a cycle is added once all exist.
  const { ordered, deferred } = creationOrder(of('createTable').map((c) => c.table))
  for (const table of ordered) {
    up.push({ table: table.name, kind: 'create', lines: createLines(table, deferred) })
  }
  const fkUp: Block[] = []
  const fkDown: Block[] = []
  const added = [...of('addForeignKey').map((c) => ({ table: c.table, key: c.key })), ...deferred]
  for (const { table, key } of added) {
    fkUp.push({ table, kind: 'alter', lines: [foreignCode(key)] })
    fkDown.unshift({ table, kind: 'alter', lines: [`t.dropForeign(${list(key.columns)})`] })
  }
  up.push(...fkUp)
  const dropped = dropOrder(of('dropTable').map((c) => c.table))
  for (const table of dropped) up.push({ table: table.name, kind: 'drop', lines: [] })

  // down: recreate dropped tables, drop added keys and new tables, undo the alterations, renames back.
  const back: Block[] = []
  for (const table of [...dropped].reverse()) back.push({ table: table.name, kind: 'create', lines: actualCreateLines(table) })
  back.push(...fkDown)
  for (const table of [...ordered].reverse()) back.push({ table: table.name, kind: 'drop', lines: [] })
  back.push(...downAlters.reverse(), ...down)

  const summary = changes.map((c) => `//   ${describeChange(c)}`).join('\n')
  return `import { Migration } from ${q(importFrom)}

// Written by \`quarry migrate:generate\` from the models' differences with the database:
${summary}
export default class extends Migration {
  async up(): Promise<void> {
${render(up)}
  }

  async down(): Promise<void> {
${render(back)}
  }
}
`
}

function render(blocks: readonly Block[]): string {
  const out: string[] = []
  for (const block of blocks) {
    if (block.kind === 'drop') out.push(`    await this.schema.dropTable(${q(block.table)})`)
    else if (block.kind === 'rename') out.push(`    await this.schema.renameTable(${q(block.table)}, ${q(block.to!)})`)
    else if (block.lines.length) {
      const method = block.kind === 'create' ? 'createTable' : 'alterTable'
      out.push(`    await this.schema.${method}(${q(block.table)}, (t) => {\n${block.lines.map((l) => `      ${l}`).join('\n')}\n    })`)
    }
  }
  return out.join('\n') || '    // nothing to do'
}

function createLines(table: DesiredTable, deferred: ReadonlyArray<{ table: string; key: DesiredForeignKey }>): Line[] {
  const lines = table.columns.map((c) => columnCode(c, table.primary.length === 1 && table.primary[0] === c.name))
  if (table.primary.length > 1) lines.push(`t.primary(${list(table.primary)})`)
  for (const index of table.indexes) lines.push(`t.${index.unique ? 'unique' : 'index'}(${list(index.columns)})`)
  for (const key of table.foreignKeys) {
    if (!deferred.some((d) => d.table === table.name && d.key === key)) lines.push(foreignCode(key))
  }
  return lines
}

/** `t.string('name', 120).nullable().defaultTo('x')`. */
export function columnCode(c: DesiredColumn, primary = false): Line {
  let code: string
  const n = q(c.name)
  if (c.autoIncrement) return `t.${c.type === 'integer' ? 'increments' : 'bigIncrements'}(${n})`
  switch (c.type) {
    case 'string': code = `t.string(${n}${c.length !== undefined && c.length !== 255 ? `, ${c.length}` : ''})`; break
    case 'decimal': code = `t.decimal(${n}, ${c.precision ?? 8}, ${c.scale ?? 2})`; break
    case 'dateTime': code = `t.dateTime(${n}${c.precision !== undefined ? `, { precision: ${c.precision} }` : ''})`; break
    case 'binary': code = `t.binary(${n}${c.length !== undefined ? `, ${c.length}` : ''})`; break
    case 'enum': code = `t.enum(${n}, ${list(c.values ?? [])})`; break
    default: code = `t.${c.type}(${n})`
  }
  if (c.unsigned) code += '.unsigned()'
  if (c.nullable) code += '.nullable()'
  if (c.default !== undefined) code += `.defaultTo(${c.default === null ? 'null' : typeof c.default === 'string' ? q(c.default) : String(c.default)})`
  if (primary) code += '.primary()'
  return code
}

function foreignCode(key: DesiredForeignKey | ForeignKeyInfo): Line {
  const columns = key.columns.length === 1 ? q(key.columns[0]!) : list(key.columns)
  const target = key.foreignColumns.length === 1 ? q(`${key.foreignTable}.${key.foreignColumns[0]}`) : list(key.foreignColumns)
  let code = `t.foreign(${columns}${'name' in key ? `, ${q(key.name)}` : ''}).references(${target})`
  if (key.foreignColumns.length > 1) code += `.inTable(${q(key.foreignTable)})`
  const onDelete = key.onDelete
  if (onDelete && onDelete !== 'NO ACTION') code += `.onDelete(${q(onDelete)})`
  return code
}

/** A column as the database reports it, written back with the schema builder (for `down`). */
function actualColumnCode(c: ColumnInfo): Line {
  const n = q(c.name)
  let code: string
  if (c.autoIncrement) return `t.${c.type === 'integer' ? 'increments' : 'bigIncrements'}(${n})`
  switch (c.type) {
    case 'other': case 'enum': code = `t.specificType(${n}, ${q(c.databaseType)})`; break
    case 'string': code = `t.string(${n}${c.length !== null ? `, ${c.length}` : ''})`; break
    case 'decimal': code = `t.decimal(${n}${c.precision !== null ? `, ${c.precision}, ${c.scale ?? 0}` : ''})`; break
    case 'binary': code = `t.binary(${n}${c.length !== null ? `, ${c.length}` : ''})`; break
    default: code = `t.${c.type}(${n})`
  }
  if (c.nullable) code += '.nullable()'
  const value = normalizeDefault(c.default)
  if (value !== null) {
    const literal = /^-?\d+(\.\d+)?$/.test(value) ? value : /^'/.test(c.default!.trim()) ? q(value) : `this.connection.knex.raw(${q(c.default!)})`
    code += `.defaultTo(${literal})`
  }
  return code
}

function actualCreateLines(table: ActualTable): Line[] {
  const lines = table.columns.map(actualColumnCode)
  const primary = table.indexes.find((i) => i.primary)
  if (primary && !table.columns.some((c) => c.autoIncrement)) lines.push(`t.primary(${list(primary.columns)})`)
  for (const index of table.indexes) if (!index.primary) lines.push(`t.${index.unique ? 'unique' : 'index'}(${list(index.columns)}, ${q(index.name)})`)
  for (const key of table.foreignKeys) lines.push(foreignCode(key))
  return lines
}

/** Tables in an order where each one's foreign keys point at tables made before it (or itself). */
function creationOrder(tables: readonly DesiredTable[]) {
  const names = new Set(tables.map((t) => t.name))
  const ordered: DesiredTable[] = []
  const deferred: Array<{ table: string; key: DesiredForeignKey }> = []
  const state = new Map<string, 'visiting' | 'done'>()
  const byName = new Map(tables.map((t) => [t.name, t]))
  const visit = (table: DesiredTable) => {
    state.set(table.name, 'visiting')
    for (const key of table.foreignKeys) {
      if (key.foreignTable === table.name || !names.has(key.foreignTable)) continue
      const s = state.get(key.foreignTable)
      if (s === 'visiting') deferred.push({ table: table.name, key })
      else if (!s) visit(byName.get(key.foreignTable)!)
    }
    state.set(table.name, 'done')
    ordered.push(table)
  }
  for (const table of tables) if (!state.has(table.name)) visit(table)
  return { ordered, deferred }
}

/** Dropped tables, those referencing others first. */
function dropOrder(tables: readonly ActualTable[]): ActualTable[] {
  const asDesired = tables.map((t) => ({ name: t.name, foreignKeys: t.foreignKeys }) as unknown as DesiredTable)
  const { ordered } = creationOrder(asDesired)
  return ordered.reverse().map((d) => tables.find((t) => t.name === d.name)!)
}
