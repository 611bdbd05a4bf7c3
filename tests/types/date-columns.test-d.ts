// Type tests for the date columns' options (issue 24), checked by `tsc --noEmit`.
import { expectTypeOf } from 'vitest'
import { column, type DateColumnOptions, Model } from '../../src/index.js'

export class Reading extends Model {
  @column.primary() declare id: number
  @column.dateTime({ storeAs: 'epochMs' }) declare takenAt: Date
  @column.date({ storeAs: 'epochMs', columnName: 'day_ms' }) declare day: Date | null
  @column.createdAt({ storeAs: 'epochMs' }) declare createdAt: Date
  @column.updatedAt({ storeAs: 'epochMs' }) declare updatedAt: Date
  @column.deletedAt({ storeAs: 'epochMs' }) declare deletedAt: Date | null
  @column.dateTime() declare seenAt: Date | null
}

expectTypeOf<DateColumnOptions['storeAs']>().toEqualTypeOf<'epochMs' | undefined>()
// @ts-expect-error epochMs is the only other storage
column.dateTime({ storeAs: 'epochSeconds' })
// @ts-expect-error storeAs belongs to the date variants
column.json({ storeAs: 'epochMs' })
