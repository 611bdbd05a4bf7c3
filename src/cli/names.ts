import pluralize from 'pluralize'

/** `BlogPost`, `blog-post`, `blog post` → `blog_post` */
export function snake(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase()
}

/** `BlogPost` → `blog-post` */
export function kebab(name: string): string {
  return snake(name).replace(/_/g, '-')
}

/** `blog_post` → `BlogPost` */
export function pascal(name: string): string {
  return snake(name)
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('')
}

/** The table Eloquent names after a model class: `BlogPost` → `blog_posts`. */
export function tableOf(model: string): string {
  const parts = snake(model).split('_')
  parts.push(pluralize(parts.pop()!))
  return parts.join('_')
}
