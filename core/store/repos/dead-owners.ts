import type { Database } from 'better-sqlite3';
import type { ProcessOwner } from '../../runtime/process-owner.js';
import { inTransaction } from '../tx.js';

/**
 * The one sweep behind every "running, but its process is gone" mark (training runs, experiment runs, design
 * sessions), in one transaction: of the rows `selectRunning` lists (id, owner_pid, owner_start), those whose owner
 * `isAlive` denies are marked by `markSql` with the arguments `markArgs(id)` gives. Returns the ids marked.
 */
export function markDeadOwners(db: Database, isAlive: (owner: ProcessOwner) => boolean, selectRunning: string, markSql: string, markArgs: (id: number) => unknown[]): number[] {
  return inTransaction(db, () => {
    const running = db.prepare(selectRunning).all() as { id: number; owner_pid: number | null; owner_start: string | null }[];
    const mark = db.prepare(markSql);
    const dead = running.filter((r) => !isAlive({ pid: r.owner_pid, startTag: r.owner_start }));
    for (const r of dead) mark.run(...markArgs(r.id));
    return dead.map((r) => r.id);
  });
}
