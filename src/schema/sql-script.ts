import type { ScriptSyntax } from '../dialects/dialect.js'

/** One statement of a script, with the line (1-based) where it starts. */
export interface ScriptStatement {
  sql: string
  line: number
}

/** A script that cannot be split: an unterminated quote, comment or dollar-quoted body. */
export class SqlScriptError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message)
  }
}

const TRIGGER = /^\s*create\s+(?:temp\s+|temporary\s+)?trigger\b/i
const DELIMITER = /^[ \t]*delimiter[ \t]+(\S+)[ \t]*(?:\r?\n|$)/i
const DOLLAR_TAG = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/

/**
 * Splits a multi-statement SQL script into its statements, by the database's lexical rules: a
 * `;` (or the `DELIMITER` in force, MySQL) ends a statement unless it is inside a quoted string,
 * a quoted identifier, a comment, a dollar-quoted body (PostgreSQL) or a trigger body (SQLite's
 * `CREATE TRIGGER … BEGIN …; END;`). Comments before a statement are left out, and so are
 * pieces made only of comments.
 *
 * ```ts
 * splitSqlScript("create table a (x text default 'a;b');\n-- done\n", dialect.script)
 * // → [{ sql: "create table a (x text default 'a;b')", line: 1 }]
 * ```
 */
export function splitSqlScript(text: string, syntax: ScriptSyntax): ScriptStatement[] {
  const out: ScriptStatement[] = []
  let delimiter = ';'
  let start = 0
  let line = 1
  /** The line of the current statement's first character that is not blank or a comment. */
  let firstLine = 0
  let i = 0
  const n = text.length

  const finish = (end: number) => {
    const sql = text.slice(start, end).trim()
    if (firstLine) out.push({ sql, line: firstLine })
    firstLine = 0
  }
  /** Advances past `to` (exclusive), counting lines. */
  const skipTo = (to: number) => {
    for (let k = i; k < to; k++) if (text.charCodeAt(k) === 10) line++
    i = to
  }
  const content = () => {
    if (firstLine) return
    firstLine = line
    start = i
  }

  while (i < n) {
    const ch = text[i]!
    const next = text[i + 1]
    // The mysql client's DELIMITER line, where a statement would begin.
    if (syntax.delimiterCommand && !firstLine && (i === 0 || text[i - 1] === '\n')) {
      const match = DELIMITER.exec(text.slice(i, i + 200))
      if (match) {
        delimiter = match[1]!
        skipTo(i + match[0].length)
        start = i
        continue
      }
    }
    if (ch === '\n') {
      line++
      i++
      continue
    }
    if ((ch === '-' && next === '-') || (ch === '#' && syntax.delimiterCommand)) {
      const end = text.indexOf('\n', i)
      i = end === -1 ? n : end
      continue
    }
    if (ch === '/' && next === '*') {
      skipTo(blockCommentEnd(text, i, syntax.nestedComments, line))
      continue
    }
    if (text.startsWith(delimiter, i) && !(syntax.triggerBodies && insideTrigger(text.slice(start, i)))) {
      finish(i)
      i += delimiter.length
      start = i
      continue
    }
    if (/\s/.test(ch)) {
      i++
      continue
    }
    content()
    if (ch === "'") {
      const escapes = syntax.backslashEscapes || (syntax.dollarQuotes && /(^|[^A-Za-z0-9_])[eE]$/.test(text.slice(Math.max(0, i - 2), i)))
      skipTo(quotedEnd(text, i, "'", escapes, line, 'string'))
      continue
    }
    if (ch === '"') {
      skipTo(quotedEnd(text, i, '"', syntax.backslashEscapes, line, 'quoted identifier'))
      continue
    }
    if (ch === '`' && syntax.backtickIdentifiers) {
      skipTo(quotedEnd(text, i, '`', false, line, 'quoted identifier'))
      continue
    }
    if (ch === '[' && syntax.bracketIdentifiers) {
      const end = text.indexOf(']', i + 1)
      if (end === -1) throw new SqlScriptError(`an identifier opened with [ on line ${line} is never closed`, line)
      skipTo(end + 1)
      continue
    }
    if (ch === '$' && syntax.dollarQuotes && !/[A-Za-z0-9_$]/.test(text[i - 1] ?? ' ')) {
      const tag = DOLLAR_TAG.exec(text.slice(i, i + 100))?.[0]
      if (tag) {
        const end = text.indexOf(tag, i + tag.length)
        if (end === -1) throw new SqlScriptError(`the dollar-quoted body opened with ${tag} on line ${line} is never closed`, line)
        skipTo(end + tag.length)
        continue
      }
    }
    i++
  }
  finish(n)
  return out
}

/** The index just past the closing quote of the string or identifier opened at `from`. */
function quotedEnd(text: string, from: number, quote: string, backslash: boolean, line: number, what: string): number {
  for (let k = from + 1; k < text.length; k++) {
    const ch = text[k]
    if (backslash && ch === '\\') k++
    else if (ch === quote) {
      if (text[k + 1] === quote) k++
      else return k + 1
    }
  }
  throw new SqlScriptError(`the ${what} opened with ${quote} on line ${line} is never closed`, line)
}

/** The index just past the `*\/` closing the comment opened at `from`. */
function blockCommentEnd(text: string, from: number, nested: boolean, line: number): number {
  let depth = 0
  for (let k = from; k < text.length - 1; k++) {
    if (text[k] === '/' && text[k + 1] === '*' && (nested || depth === 0)) {
      depth++
      k++
    } else if (text[k] === '*' && text[k + 1] === '/') {
      depth--
      k++
      if (depth === 0) return k + 1
    }
  }
  throw new SqlScriptError(`the comment opened with /* on line ${line} is never closed`, line)
}

/** Inside `CREATE TRIGGER … BEGIN …`, a `;` ends the statement only right after `END`. */
function insideTrigger(sofar: string): boolean {
  if (!TRIGGER.test(sofar)) return false
  const words = sofar.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, ' ').trim().split(/\s+/)
  return !/^end$/i.test(words[words.length - 1] ?? '')
}

/** Whether the script asks to run outside a transaction: a `-- quarry:no-transaction` line. */
export function wantsNoTransaction(text: string): boolean {
  return /^\s*--\s*quarry:no-transaction\b/im.test(text)
}
