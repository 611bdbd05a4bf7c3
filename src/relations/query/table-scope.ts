import { UnknownColumnError } from '../../errors/index.js'

/**
 * The tables a query may name in a qualified column (`follows.follower_id`): its own table, the
 * tables it joins (a relation's pivot or intermediate table, the caller's joins) and, for a
 * correlated subquery, those of the queries around it. Each is known by the name the caller writes
 * and the name it has in SQL, which differ when a self-relation's subquery had to alias a table
 * (`follows` written, `quarry_r1_pivot` sent).
 *
 * A relation's query is `checked`: a qualified column naming none of its tables is an
 * `UnknownColumnError` when it is named, before any SQL. A plain query keeps a scope only to be
 * the enclosing scope of its `whereHas` subqueries (its joins); `joinRaw` makes a scope `open`,
 * since the tables it joins are not known.
 */
export class TableScope {
  private readonly refs = new Map<string, string>()
  private open = false

  constructor(
    readonly checked: boolean,
    private readonly outer?: TableScope,
  ) {}

  /** A scope over one table named `ref` (a plain query's own), unchecked. */
  static of(ref: string): TableScope {
    return new TableScope(false).add(ref)
  }

  /** `name` as written refers to the table called `ref` in SQL. */
  add(name: string, ref = name): this {
    this.refs.set(name, ref)
    return this
  }

  /** A `join('comments as c', …)`: the alias is the table's name from now on, else its own. */
  joined(table: string): void {
    const match = /^\s*(\S+)\s+as\s+(\S+)\s*$/i.exec(table)
    const name = match ? match[2]! : table.trim()
    this.add(name)
  }

  /** The tables of a raw join are unknown: any qualified name is let through. */
  openUp(): void {
    this.open = true
  }

  /** The SQL name of the table written `name`, `true` when an open scope lets it through, or `undefined`. */
  private lookup(name: string): string | true | undefined {
    const ref = this.refs.get(name)
    if (ref !== undefined) return ref
    if (this.open) return true
    return this.outer?.lookup(name)
  }

  private names(): string[] {
    const own = [...this.refs].map(([name, ref]) => (name === ref ? name : `${name} (as ${ref})`))
    return this.outer ? [...own, ...this.outer.names().filter((n) => !own.includes(n))] : own
  }

  /**
   * A resolved column as this query sends it: a qualified one must name a table of the query
   * (else `UnknownColumnError`), and takes the table's name in SQL.
   */
  resolve(column: string, given: string, model: string): string {
    const dot = column.lastIndexOf('.')
    if (dot <= 0) return column
    const table = column.slice(0, dot)
    const ref = this.lookup(table)
    if (ref === true || ref === table) return column
    if (ref !== undefined) return `${ref}${column.slice(dot)}`
    const error = new UnknownColumnError(model, given)
    error.message =
      `"${given}" names the table "${table}", which is not part of this query (it has: ${this.names().join(', ')}); ` +
      'join the table first, or name a column of one of these'
    throw error
  }
}
