import slugify from 'slugify'
import type { ModelColumn } from './column-definition.js'
import { ModelAdapter } from './model-adapter.js'
import type { ModelMetadata } from './model-metadata.js'

/**
 * A URL slug: lowercase ASCII words joined by `-`, accents transliterated (`Héllo Wörld!` →
 * `hello-world`). Characters with no Latin transliteration are dropped.
 */
export function slug(text: string): string {
  return slugify(String(text ?? ''), { lower: true, strict: true, trim: true })
}

/**
 * The first free slug for `base` in `column` of the model's table, soft-deleted rows included:
 * `base` itself, else `base-N` with N one more than the highest taken (and at least
 * `minSuffix`, so a retry after a lost race moves on even when the winner is not yet visible).
 */
export async function freeSlug(meta: ModelMetadata, column: ModelColumn, base: string, minSuffix: number): Promise<{ value: string; suffix: number }> {
  const rows = (await ModelAdapter.table(meta)
    .select(column.column)
    .where(column.column, base)
    .orWhere(column.column, 'like', `${base}-%`)) as Array<Record<string, unknown>>
  const pattern = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-(\\d+)$`)
  let taken = false
  let highest = 1
  for (const row of rows) {
    const value = String(row[column.column])
    if (value === base) taken = true
    const match = pattern.exec(value)
    if (match) {
      taken = true
      highest = Math.max(highest, Number(match[1]))
    }
  }
  if (!taken && minSuffix <= 1) return { value: base, suffix: 1 }
  const suffix = Math.max(highest + 1, minSuffix)
  return { value: `${base}-${suffix}`, suffix }
}

/** The base slug for a model: its source properties joined, slugified; the model's name when that is empty. */
export function baseSlug(meta: ModelMetadata, column: ModelColumn, source: (property: string) => unknown): string {
  const text = column.slug!.from.map((property) => source(property) ?? '').join(' ')
  return slug(String(text)) || slug(meta.name) || 'item'
}
