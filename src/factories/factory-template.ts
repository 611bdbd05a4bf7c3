/** A column property a model file declares, as read from its source. */
export interface DeclaredColumn {
  property: string
  /** The declared TypeScript type, `| null` removed: `string`, `number`, `Date`, … */
  type: string
  /** The decorator: `column`, `column.boolean`, `column.primary`, … */
  decorator: string
}

const DECLARED = /@(column(?:\.\w+)?)\s*\([^)]*\)\s*declare\s+(\w+)\s*[?!]?\s*:\s*([^\n;=]+)/g

/** Filled in by the model or the database; a factory leaves them alone. */
const AUTOMATIC = new Set(['column.primary', 'column.createdAt', 'column.updatedAt', 'column.deletedAt', 'column.version', 'column.slug'])

/**
 * The columns a model's source declares with `@column…() declare name: Type`, in order, without
 * those filled in automatically (keys, timestamps, versions, slugs). A guide for the scaffold,
 * not a parser: what it does not recognise is left for the user to write.
 */
export function declaredColumns(source: string): DeclaredColumn[] {
  const out: DeclaredColumn[] = []
  for (const [, decorator, property, rawType] of source.matchAll(DECLARED)) {
    if (AUTOMATIC.has(decorator!)) continue
    const type = rawType!.split('|').map((t) => t.trim()).filter((t) => t && t !== 'null' && t !== 'undefined').join(' | ')
    out.push({ property: property!, type, decorator: decorator! })
  }
  return out
}

/** A faker call that fits a column, by its name first, then its type; `undefined` when none does. */
export function fakeValueFor(column: DeclaredColumn): string | undefined {
  const name = column.property.toLowerCase()
  if (column.decorator === 'column.boolean' || column.type === 'boolean') return 'faker.datatype.boolean()'
  if (column.decorator === 'column.json') return undefined
  if (column.type === 'Date' || /^column\.(date|datetime|dateTime)$/.test(column.decorator)) return 'faker.date.recent()'
  if (column.type === 'string') {
    if (name.includes('email')) return 'faker.internet.email()'
    if (name === 'name' || name === 'fullname') return 'faker.person.fullName()'
    if (name.includes('firstname')) return 'faker.person.firstName()'
    if (name.includes('lastname')) return 'faker.person.lastName()'
    if (name.includes('url')) return 'faker.internet.url()'
    if (name.includes('phone')) return 'faker.phone.number()'
    if (name === 'title') return 'faker.lorem.sentence()'
    if (name === 'body' || name === 'description' || name === 'bio') return 'faker.lorem.paragraph()'
    return 'faker.lorem.word()'
  }
  if (column.type === 'number' && !name.endsWith('id')) return 'faker.number.int({ min: 1, max: 1000 })'
  return undefined
}

/**
 * What `make:factory` writes: a factory for `className`, importing it from `modelImport`, with a
 * line per declared column (a faker call where one fits, a comment where none does).
 */
export function factoryTemplate(className: string, modelImport: string, columns: readonly DeclaredColumn[]): string {
  const lines = columns.map((column) => {
    const value = fakeValueFor(column)
    return value ? `    ${column.property}: ${value},` : `    // ${column.property}: …,  (${column.type})`
  })
  const body = lines.length ? lines.join('\n') : '    // name: faker.person.fullName(),'
  return `import { defineFactory } from 'quarry'
import { ${className} } from '${modelImport}'

export const ${className}Factory = defineFactory(${className}, ({ faker }) => ({
${body}
}))
`
}
