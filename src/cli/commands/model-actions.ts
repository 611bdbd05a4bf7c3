import { relative } from 'node:path'
import { performance } from 'node:perf_hooks'
import { QuarryError } from '../../errors/index.js'
import { listeners } from '../../events/event-bus.js'
import { MODEL_EVENTS } from '../../events/model-events.js'
import { booleanCast, dateCast, dateTimeCast, jsonCast } from '../../model/casts.js'
import type { ModelColumn } from '../../model/column-definition.js'
import { Model, modelMetadata } from '../../model/model.js'
import { ModelAdapter } from '../../model/model-adapter.js'
import { isPrunable, prunableQuery, pruneModel } from '../../model/prunable.js'
import type { ColumnInfo } from '../../dialects/dialect.js'
import type { CliContext, DatabaseOptions } from '../cli-context.js'
import { findModel, loadModels } from '../model-loader.js'
import { duration } from '../output.js'

export interface PruneOptions extends DatabaseOptions {
  model?: string[]
  pretend?: boolean
  chunk?: number
}

const CASTS = new Map<unknown, string>([[jsonCast, 'json'], [booleanCast, 'boolean'], [dateTimeCast, 'dateTime'], [dateCast, 'date']])

/** `model:show`: the model's table as the database has it, beside the model's metadata. */
export async function showModel(ctx: CliContext, name: string, options: DatabaseOptions): Promise<void> {
  await ctx.withDatabase(options, async (_db, config) => {
    const models = await loadModels(config.modelsDirectory, ctx.cwd)
    const found = findModel(models, name, relative(ctx.cwd, config.modelsDirectory) || '.')
    await show(ctx, found.model, relative(ctx.cwd, found.file))
  })
}

/** `model:prune`: every prunable model, or the ones named. */
export async function pruneModels(ctx: CliContext, options: PruneOptions): Promise<void> {
  await ctx.withDatabase(options, async (_db, config) => {
    const directory = relative(ctx.cwd, config.modelsDirectory) || '.'
    const models = await loadModels(config.modelsDirectory, ctx.cwd)
    const chosen = options.model?.length
      ? options.model.map((name) => {
        const found = findModel(models, name, directory)
        if (!isPrunable(found.model)) throw new QuarryError(`${found.name} is not prunable: declare static prunable = (q) => q.where(…) on it`)
        return found
      })
      : models.filter((m) => isPrunable(m.model))
    if (!chosen.length) {
      ctx.out.line(`No prunable models in ${directory}.`)
      return
    }
    const c = ctx.out.c
    for (const { name, model } of chosen) {
      const meta = modelMetadata(model)
      if (options.pretend) {
        const count = await prunableQuery(model, meta).count()
        ctx.out.line(`${c.cyan('Would prune ')} ${name}: ${records(count)}`)
        continue
      }
      ctx.out.line(`${c.yellow('Pruning     ')} ${name}`)
      const started = performance.now()
      const total = await pruneModel(model, meta, options.chunk !== undefined ? { chunkSize: options.chunk } : {})
      ctx.out.line(`${c.green('Pruned      ')} ${name}: ${records(total)} ${c.dim(`(${duration(performance.now() - started)})`)}`)
    }
  })
}

async function show(ctx: CliContext, model: typeof Model, file: string): Promise<void> {
  const meta = modelMetadata(model)
  const connection = ModelAdapter.connection(meta)
  const c = ctx.out.c
  ctx.out.line(`${c.bold(meta.name)}  ${c.dim(file)}`)
  ctx.out.line(`Table ${meta.table} on connection ${connection.name}`)
  if (!(await connection.schema.hasTable(meta.table))) {
    throw new QuarryError(`${meta.name}'s table ${meta.table} is not in the database of connection "${connection.name}"; run: npx quarry migrate`)
  }
  const columns = await connection.schema.getColumns(meta.table)
  const declared = new Map(meta.columns.map((col) => [col.column, col]))
  const rows = columns.map((info) => columnRow(info, declared.get(info.name)))
  for (const col of meta.columns) {
    if (!columns.some((info) => info.name === col.column)) rows.push([col.column, col.property, c.red('missing from the table'), '', '', '', castName(col)])
  }
  ctx.out.line()
  ctx.out.table(['Column', 'Property', 'Type', 'Database type', 'Nullable', 'Default', 'Cast'], rows)

  const relations = [...meta.relations.entries()].map(([name, definition]) => relationRow(name, definition))
  ctx.out.line()
  if (relations.length) ctx.out.table(['Relation', 'Kind', 'Related'], relations)
  else ctx.out.line('Relations: none')

  const events = MODEL_EVENTS.map((event) => [event, listeners.handlers(model, event).map((h) => h.name || '(anonymous)')] as const)
    .filter(([, handlers]) => handlers.length)
  ctx.out.line()
  if (events.length) ctx.out.table(['Event', 'Listeners and observers'], events.map(([event, handlers]) => [event, handlers.join(', ')]))
  else ctx.out.line('Listeners and observers: none')
}

function columnRow(info: ColumnInfo, column: ModelColumn | undefined): string[] {
  const key = [info.primary ? 'primary' : '', info.autoIncrement ? 'auto-increment' : ''].filter(Boolean).join(', ')
  return [
    info.name,
    column ? column.property : '(not on the model)',
    key ? `${info.type} (${key})` : info.type,
    info.databaseType,
    info.nullable ? 'yes' : 'no',
    info.default ?? '',
    column ? castName(column) : '',
  ]
}

function castName(column: ModelColumn): string {
  const cast = column.effectiveCast
  if (!cast) return ''
  // Built-in casts made per column (decimal) convert on assignment too; a user's cast does not.
  return CASTS.get(cast) ?? (cast.assign ? 'built-in' : 'custom')
}

/** A relation's row, read without depending on the relation classes' internals. */
function relationRow(name: string, definition: unknown): string[] {
  const relation = definition as { kind?: unknown; boot?: () => unknown; relatedClass?: () => { name?: string } | undefined }
  let related = ''
  try {
    relation.boot?.()
    related = relation.relatedClass?.()?.name ?? (relation.kind === 'morphTo' ? '(the type column decides)' : '')
  } catch (error) {
    related = `(unresolved: ${(error as Error).message})`
  }
  return [name, String(relation.kind ?? 'relation'), related]
}

function records(n: number): string {
  return `${n} ${n === 1 ? 'record' : 'records'}`
}
