import pluralize from 'pluralize'

/** `emailAddress` → `email_address`, `URLPath` → `url_path`, `line2Text` → `line2_text`. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z\d])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z\d])/g, '$1_$2')
    .replace(/[-\s]+/g, '_')
    .toLowerCase()
}

/** The default table of a model: the snake_case plural of its class name (`Person` → `people`). */
export function defaultTableName(className: string): string {
  const words = snakeCase(className).split('_')
  words[words.length - 1] = pluralize.plural(words[words.length - 1]!)
  return words.join('_')
}

/** How a model names its columns from its properties. */
export type ColumnNaming = 'snake_case' | 'preserve' | ((property: string) => string)

export function columnNameFor(property: string, naming: ColumnNaming): string {
  if (naming === 'snake_case') return snakeCase(property)
  if (naming === 'preserve') return property
  return naming(property)
}
