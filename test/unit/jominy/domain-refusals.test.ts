import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError, toErrorBody } from '../../../core/api/errors.js';
import { gradeHoldout } from '../../../core/jominy/baselines.js';
import { planInputHeats } from '../../../core/jominy/element-gaps.js';
import { pchip, pchipAt } from '../../../core/jominy/pchip.js';
import { generateSynthetic } from '../../../core/jominy/synth.js';
import { reportPhraser } from '../../../core/report/report-i18n.js';
import { asApiError } from '../../../core/services/jominy/errors.js';

/**
 * Issue 15: what core/jominy refuses of a user's input (a curve read outside its distances, a by-grade split with one
 * grade, a synthetic dataset of 0 heats, a share outside 0–1) is said as a code, so the answer of the Jominy services
 * (asApiError) carries the phrase and the interface words it in Chinese or Italian. What is left as a RangeError is a
 * bug (an internal shape check) and is answered as one ('internal').
 */
function answered(f: () => unknown): ApiError {
  try {
    f();
  } catch (e) {
    try {
      asApiError(e);
    } catch (api) {
      return api as ApiError;
    }
  }
  throw new Error('nothing was refused');
}

const curve = pchip([1.5, 3, 5, 30], [60, 58, 50, 30]);

describe("core/jominy's refusals reach the user as phrases", () => {
  it('a curve read past its last distance: the English words kept, the numbers travel as numbers', () => {
    const err = answered(() => pchipAt(curve, 31.5));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('invalid_argument');
    expect(err.message).toBe("31.5 mm is outside the curve's 1.5–30 mm");
    // numbers, not text: the interface writes 31,5 in Italian (say), the report keeps its decimal point
    expect(err.phrase).toEqual({ code: 'jominyDomain.outsideCurve', params: { distance: { value: 31.5 }, from: { value: 1.5 }, to: { value: 30 } } });
    expect(reportPhraser('zh')(err.phrase!)).toBe('31.5 mm 超出曲线的范围 1.5–30 mm（曲线不外推）');
    expect(reportPhraser('it')(err.phrase!)).toBe("31.5 mm è fuori dall'intervallo della curva, 1.5–30 mm (la curva non si estrapola)");
  });

  it('a by-grade split of one grade, and of heats without grades', () => {
    const one = answered(() => gradeHoldout(['42CrMo4', '42CrMo4'], 0.2, (n) => [...Array(n).keys()]));
    expect(one.message).toBe('a by-grade split needs at least two grades (got 1)');
    expect(reportPhraser('zh')(one.phrase!)).toBe('按钢种划分至少需要两个钢种（实际 1 个）');
    expect(reportPhraser('it')(one.phrase!)).toBe('una suddivisione per qualità richiede almeno due qualità (sono 1)');
    const none = answered(() => gradeHoldout(['42CrMo4', null], 0.2, (n) => [...Array(n).keys()]));
    expect(none.phrase).toEqual({ code: 'jominyDomain.byGradeNoGrade', params: {} });
  });

  it('values the user gave are quoted as given, with the field they came in', () => {
    const n = answered(() => generateSynthetic({ n: 2.5, seed: 1 }));
    expect(n.message).toBe('n must be an integer 1…100000 (given: 2.5)');
    expect(n.field).toBe('n');
    expect(reportPhraser('it')(n.phrase!)).toBe('n deve essere un intero tra 1 e 100000 (indicato: 2.5)');
    const share = answered(() => planInputHeats([], ['C'], 1.25));
    expect(share.field).toBe('minElementShare');
    expect(reportPhraser('zh')(share.phrase!)).toBe('分析过某元素的炉次最低比例为 1.25；请给出 0–1 之间的值');
  });

  it('an internal shape check stays a RangeError, answered as a bug (internal), not as the user\'s mistake', () => {
    let thrown: unknown = null;
    try {
      asApiError(new RangeError('PCHIP needs strictly increasing x'));
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(RangeError);
    expect(toErrorBody(thrown).code).toBe('internal');
  });
});

describe('the RangeErrors left in core/jominy are internal shape checks only', () => {
  /** Each a bug if reached: the callers build these arrays from the dataset's own layout. */
  const INTERNAL = [
    { file: 'pchip.ts', contains: 'PCHIP needs at least two points' },
    { file: 'pchip.ts', contains: 'PCHIP needs strictly increasing x' },
    { file: 'ensemble.ts', contains: "the model's points are not among the dataset's distances" },
    { file: 'predictor.ts', contains: 'hardness values where the dataset has' },
    { file: 'heat-split.ts', contains: 'heat keys for ${samples.length} rows' },
    { file: 'metrics.ts', contains: 'need as many predicted as target profiles' },
    { file: 'metrics.ts', contains: 'need as many designed as real chemistries' },
    { file: 'robust.ts', contains: 'tolerances: ${N_ELEMENTS} values' },
  ];
  it('no other `new RangeError(` (a refusal of user input is RefusedError.said)', () => {
    const dir = join(import.meta.dirname, '..', '..', '..', 'core', 'jominy');
    const found: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      readFileSync(join(dir, file), 'utf8')
        .split('\n')
        .forEach((line) => {
          if (line.includes('new RangeError(')) found.push(`${file}: ${line.trim()}`);
        });
    }
    expect(found.filter((l) => !INTERNAL.some((a) => l.startsWith(`${a.file}: `) && l.includes(a.contains)))).toEqual([]);
    expect(found).toHaveLength(INTERNAL.length);
  });
});
