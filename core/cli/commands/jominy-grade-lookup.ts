import type { AppContext } from '../../app/context.js';
import { localClient } from '../../app/dispatch.js';
import type { JominyGrade } from '../../api/methods/jominy-grades.js';
import { parseStrictInteger } from '../../api/strict-decimal.js';
import { ELEMENTS } from '../../jominy/index.js';
import { UsageError } from '../command.js';

/** Grade lookup and wording shared by `jominy design --grade` and `jominy grades` (a file of its own: no import cycle between the two). */

/** A grade by name (exact) or id; the name wins, so a grade called "12" is still found by its name. */
export async function findGrade(ctx: AppContext, ref: string): Promise<JominyGrade> {
  const list = await localClient(ctx)['jominy.grades.list']({});
  const byName = list.find((g) => g.name === ref);
  if (byName) return byName;
  const n = parseStrictInteger(ref);
  const byId = n.ok ? list.find((g) => g.id === n.value) : undefined;
  if (byId) return byId;
  throw new UsageError(`no grade "${ref}" (grades: ${list.map((g) => g.name).join(', ') || 'none yet — add one with ferrolab jominy grades add'})`);
}

/** One line per element range, in the elements' order, e.g. "C 0.38–0.43". */
export const rangesText = (g: Pick<JominyGrade, 'ranges'>) =>
  ELEMENTS.filter((el) => g.ranges[el]).map((el) => `${el} ${g.ranges[el]![0]}–${g.ranges[el]![1]}`).join(', ');
