import type { Database } from '../connection/database.js'
import type { ColumnInfo } from '../dialects/dialect.js'
import { QuarryError } from '../errors/index.js'
import { booleanCast, dateCast, dateTimeCast, jsonCast } from '../model/casts.js'
import type { ModelColumn } from '../model/column-definition.js'
import { type Model, modelMetadata } from '../model/model.js'
import { ModelAdapter } from '../model/model-adapter.js'
import type { ModelMetadata } from '../model/model-metadata.js'
import type { Relation } from '../relations/relation.js'

/** How the page shows, filters and edits a column. */
export type FieldKind = 'number' | 'text' | 'boolean' | 'date' | 'dateTime' | 'json' | 'binary'

/** A column as the page sees it. */
export interface StudioColumn {
  property: string
  column: string
  kind: FieldKind
  nullable: boolean
  primary: boolean
  /** The database or the model fills it (auto-increment key, timestamps): not offered in forms. */
  generated: boolean
  /** Hidden or secret-looking: its values never leave the server. */
  masked: boolean
}

/** A relation as the page sees it. */
export interface StudioRelation {
  name: string
  kind: string
  many: boolean
  /** The related model's name, when it is one class. */
  related: string | null
}

/** A model the studio serves. */
export interface StudioModel {
  name: string
  model: typeof Model
  meta: ModelMetadata
  table: string
  columns: StudioColumn[]
  relations: StudioRelation[]
}

// Names whose values are secrets even when the model forgot `hidden: true`.
const SECRET = /pass(word)?|secret|token|api_?key|private_?key|salt|hash/i

/** Describes each model against its table (read once, when the studio starts). */
export async function buildCatalog(db: Database, models: ReadonlyArray<{ name: string; model: typeof Model }>): Promise<StudioModel[]> {
  void db
  const out: StudioModel[] = []
  for (const { name, model } of models) {
    const meta = modelMetadata(model)
    const connection = ModelAdapter.connection(meta)
    const infos = (await connection.schema.hasTable(meta.table)) ? await connection.schema.getColumns(meta.table) : []
    const byName = new Map(infos.map((info) => [info.name, info]))
    out.push({
      name,
      model,
      meta,
      table: meta.table,
      columns: meta.columns.map((c) => describeColumn(c, byName.get(c.column), meta)),
      relations: [...meta.relations.entries()].map(([relName, def]) => describeRelation(relName, def as Relation)),
    })
  }
  return out
}

/** The model named `name`, or a `QuarryError` (404). */
export function catalogModel(catalog: readonly StudioModel[], name: string): StudioModel {
  const found = catalog.find((m) => m.name === name)
  if (!found) throw new StudioNotFound(`No model named ${name}; the models are: ${catalog.map((m) => m.name).join(', ') || 'none'}`)
  return found
}

/** A model, row or relation the request names does not exist. */
export class StudioNotFound extends QuarryError {
  override readonly code = 'E_STUDIO_NOT_FOUND'
}

function describeColumn(column: ModelColumn, info: ColumnInfo | undefined, meta: ModelMetadata): StudioColumn {
  return {
    property: column.property,
    column: column.column,
    kind: kindOf(column, info),
    nullable: info?.nullable ?? true,
    primary: column.primary,
    generated: (meta.autoIncrement === column) || column.role !== undefined || (column.primary && column.keyType === 'uuid') || Boolean(column.slug),
    masked: column.hidden || column.serializeAs === null || SECRET.test(column.property) || SECRET.test(column.column),
  }
}

function kindOf(column: ModelColumn, info: ColumnInfo | undefined): FieldKind {
  const cast = column.effectiveCast
  if (cast === dateCast) return 'date'
  if (cast === dateTimeCast || column.role === 'createdAt' || column.role === 'updatedAt' || column.role === 'deletedAt') return 'dateTime'
  if (cast === booleanCast) return 'boolean'
  if (cast === jsonCast) return 'json'
  switch (info?.type) {
    case 'integer': case 'bigInteger': case 'float': case 'double': case 'decimal': return 'number'
    case 'boolean': return 'boolean'
    case 'date': return 'date'
    case 'dateTime': return 'dateTime'
    case 'json': return 'json'
    case 'binary': return 'binary'
    default: return 'text'
  }
}

function describeRelation(name: string, relation: Relation): StudioRelation {
  let related: string | null = null
  try {
    relation.boot()
    related = relation.relatedClass()?.name ?? null
  } catch {
    related = null
  }
  return { name, kind: String(relation.kind), many: relation.many, related }
}

/** What the page gets of a model (no classes). */
export function publicModel(model: StudioModel): Omit<StudioModel, 'model' | 'meta'> {
  return { name: model.name, table: model.table, columns: model.columns, relations: model.relations }
}
