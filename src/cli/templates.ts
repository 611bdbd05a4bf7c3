/** What `make:migration` writes: a table to create, a table to change, or a blank migration. */
export function migrationTemplate(kind: { create: string } | { table: string } | null): string {
  let up = '    // await this.schema.createTable(…)'
  let down = '    // undo what up() did'
  if (kind && 'create' in kind) {
    up = `    await this.schema.createTable(${q(kind.create)}, (t) => {\n      t.id()\n      t.timestamps()\n    })`
    down = `    await this.schema.dropTable(${q(kind.create)})`
  } else if (kind) {
    up = `    await this.schema.alterTable(${q(kind.table)}, (t) => {\n      // t.string('nickname').nullable()\n    })`
    down = `    await this.schema.alterTable(${q(kind.table)}, (t) => {\n      // t.dropColumn('nickname')\n    })`
  }
  return `import { Migration } from 'quarry'

export default class extends Migration {
  async up() {
${up}
  }

  async down() {
${down}
  }
}
`
}

/** What `make:model` writes: a model over its table, with the columns `make:migration --create` makes. */
export function modelTemplate(className: string, table: string): string {
  return `import { Model, column, table } from 'quarry'

@table(${q(table)})
export class ${className} extends Model {
  @column.primary() declare id: number
  @column.createdAt() declare createdAt: Date
  @column.updatedAt() declare updatedAt: Date
}
`
}

/** What `make:seeder` writes. */
export function seederTemplate(className: string): string {
  return `import { Seeder } from 'quarry'

export default class ${className} extends Seeder {
  async run() {
    // await this.db.table('users').insert({ email: 'ada@example.com' })
  }
}
`
}

function q(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
}
