import type { Database } from 'better-sqlite3';
import { ApiError } from '../../api/errors.js';
import { phrase } from '../../api/phrase.js';
import type { JominyGrade } from '../../api/methods/jominy-grades.js';
import { nowIso } from '../tx.js';

/** SQL for `jominy_grades`: the user's grade library (ranges and band as JSON, checked by the contract on the way in). */

interface GradeRow {
  id: number;
  name: string;
  ranges_json: string;
  band_json: string | null;
  created_at: string;
  updated_at: string;
}

const toGrade = (r: GradeRow): JominyGrade => ({
  id: r.id, name: r.name, ranges: JSON.parse(r.ranges_json), band: r.band_json === null ? null : JSON.parse(r.band_json), createdAt: r.created_at, updatedAt: r.updated_at,
});

type GradeFields = Pick<JominyGrade, 'name' | 'ranges' | 'band'>;

export function createJominyGradesRepo(db: Database) {
  const nameTaken = (name: string, exceptId: number) => {
    const row = db.prepare('SELECT id FROM jominy_grades WHERE name = ?').get(name) as { id: number } | undefined;
    if (row && row.id !== exceptId) throw ApiError.said('conflict', phrase('jominyErrors.gradeExists', { name }), { field: 'name' });
  };
  const get = (id: number): JominyGrade => {
    const r = db.prepare('SELECT * FROM jominy_grades WHERE id = ?').get(id) as GradeRow | undefined;
    if (!r) throw ApiError.said('not_found', phrase('jominyErrors.gradeNotFound', { id }));
    return toGrade(r);
  };
  return {
    listGrades(): JominyGrade[] {
      return (db.prepare('SELECT * FROM jominy_grades ORDER BY name COLLATE NOCASE, id').all() as GradeRow[]).map(toGrade);
    },
    getGrade: get,
    createGrade(g: GradeFields): JominyGrade {
      nameTaken(g.name, -1);
      const at = nowIso();
      const info = db.prepare('INSERT INTO jominy_grades (name, ranges_json, band_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(g.name, JSON.stringify(g.ranges), g.band ? JSON.stringify(g.band) : null, at, at);
      return get(Number(info.lastInsertRowid));
    },
    updateGrade(id: number, g: GradeFields): JominyGrade {
      get(id);
      nameTaken(g.name, id);
      db.prepare('UPDATE jominy_grades SET name = ?, ranges_json = ?, band_json = ?, updated_at = ? WHERE id = ?').run(g.name, JSON.stringify(g.ranges), g.band ? JSON.stringify(g.band) : null, nowIso(), id);
      return get(id);
    },
    deleteGrade(id: number): void {
      if (db.prepare('DELETE FROM jominy_grades WHERE id = ?').run(id).changes === 0) throw ApiError.said('not_found', phrase('jominyErrors.gradeNotFound', { id }));
    },
  };
}

export type JominyGradesRepo = ReturnType<typeof createJominyGradesRepo>;
