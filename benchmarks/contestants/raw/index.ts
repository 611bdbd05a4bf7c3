// The raw drivers, used the fastest plain way: statements prepared once (better-sqlite3), named
// prepared statements (pg), `execute` (mysql2). The floor under every other contestant.
import type { OpenContestant } from '../../harness/contestant.js'

const open: OpenContestant = async (target) => {
  switch (target.dialect) {
    case 'sqlite': return (await import('./sqlite.js')).openSqlite(target)
    case 'postgres': return (await import('./postgres.js')).openPostgres(target)
    case 'mysql': return (await import('./mysql.js')).openMysql(target)
  }
}

export default open
