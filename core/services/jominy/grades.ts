import type { ParsedInput } from '../../api/contract.js';
import type { JominyGrade } from '../../api/methods/jominy-grades.js';
import type { JominyServiceDeps } from './deps.js';

/** The grade library: CRUD over the grades repo, with a data-changed event so open pages refresh. */
export function createGradesService({ repos, bus }: JominyServiceDeps) {
  const changed = (id: number) => bus.emit({ type: 'data-changed', entity: 'jominy-grade', id });
  const repo = repos.grades;
  return {
    list: (): JominyGrade[] => repo.listGrades(),
    get: (id: number): JominyGrade => repo.getGrade(id),
    create(a: ParsedInput<'jominy.grades.create'>): JominyGrade {
      const g = repo.createGrade({ name: a.name, ranges: a.ranges as JominyGrade['ranges'], band: a.band ?? null });
      changed(g.id);
      return g;
    },
    update(a: ParsedInput<'jominy.grades.update'>): JominyGrade {
      const old = repo.getGrade(a.id);
      const g = repo.updateGrade(a.id, {
        name: a.name ?? old.name,
        ranges: (a.ranges as JominyGrade['ranges'] | undefined) ?? old.ranges,
        band: a.band === undefined ? old.band : a.band,
      });
      changed(g.id);
      return g;
    },
    remove(id: number): { deleted: true } {
      repo.deleteGrade(id);
      changed(id);
      return { deleted: true };
    },
  };
}
