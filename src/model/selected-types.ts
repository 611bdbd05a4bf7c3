// Type-level only: what a model query returns after `select('id', 'email')`.
import type { CursorPage, Page } from '../query/paginators.js'
import type { ColumnName } from './types.js'

/**
 * A model `M` with only the columns `K` selected: the other columns are not there to read (a
 * compile error, and `MissingAttributeError` at run time with `preventAccessingMissingAttributes`).
 * Relations, methods and `$` members stay. `M` itself when a name is not a property (a column
 * name or a qualified `table.column`).
 */
export type Selected<M, K extends string> = [Exclude<K, ColumnName<M>>] extends [never] ? Omit<M, Exclude<ColumnName<M>, K>> : M

/**
 * The reads of a query whose select list narrowed its results to `R`. A model query's `select()`
 * returns `SelectedQuery<R> & this`: these signatures come first, so `first()`, `get()`,
 * awaiting and the paginators give `R`, and the rest of the chain keeps them.
 */
export interface SelectedQuery<R> {
  then<R1 = R[], R2 = never>(
    onfulfilled?: ((value: R[]) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2>
  get(): Promise<R[]>
  first(): Promise<R | null>
  firstOrFail(): Promise<R>
  paginate(page?: number, perPage?: number): Promise<Page<R>>
  cursorPaginate(perPage?: number, cursorValue?: string | null): Promise<CursorPage<R>>
  chunk(size: number, fn: (items: R[], index: number) => unknown): Promise<void>
  cursor(options?: { batchSize?: number }): AsyncIterableIterator<R>
}
