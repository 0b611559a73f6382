import type { DecimalMark } from '../api/strict-decimal.js';
import { JominyCsvError, parseJominyCsv, type CsvIssue, type JominyCsvOptions } from './csv.js';
import type { ColumnRole } from './csv-columns.js';
import type { DistanceUnit } from './dataset.js';
import { DEFAULT_MIN_ELEMENT_SHARE, elementCoverage, type ElementCoverage } from './element-gaps.js';

/**
 * What an import of a Jominy CSV would read, before anything is stored (issue 15): the delimiter, the decimal mark,
 * the distance unit and, per column, what it is and in which unit its numbers are read — or every problem by line
 * and column, exactly as the import would refuse them (it is the same parser).
 */
export interface JominyCsvPreview {
  ok: boolean;
  delimiter: string | null;
  decimalMark: DecimalMark | null;
  distanceUnit: DistanceUnit | null;
  columns: {
    header: string;
    kind: ColumnRole['kind'];
    element?: string;
    distanceMm?: number;
    flat?: 'a' | 'b' | null;
    /** How its numbers are read: wt.% for elements; HRC or HV (converted by ASTM E140) for hardness. */
    unit?: 'wt.%' | 'HRC' | 'HV';
  }[];
  heats: number;
  /**
   * Per element column: heats that analysed it and heats with a gap (empty cell or declared marker), and whether a
   * model would take it at the threshold (`minShare`, element-gaps.ts); null when the file is refused.
   */
  elementGaps: ElementCoverage | null;
  warnings: CsvIssue[];
  errors: CsvIssue[];
}

export function previewJominyCsv(text: string, opts: JominyCsvOptions = {}, fileScale: 'HRC' | 'HV' = 'HRC', minElementShare = DEFAULT_MIN_ELEMENT_SHARE): JominyCsvPreview {
  try {
    const p = parseJominyCsv(text, opts);
    const scale = ((p.meta['hardness-scale'] ?? fileScale).trim().toUpperCase() === 'HV' ? 'HV' : 'HRC') as 'HRC' | 'HV';
    return {
      ok: true,
      delimiter: p.delimiter,
      decimalMark: p.decimalMark,
      distanceUnit: p.layout.unit,
      columns: p.columns.map(({ header, role }) =>
        role.kind === 'element'
          ? { header, kind: role.kind, element: role.el, unit: 'wt.%' as const }
          : role.kind === 'hardness'
            ? { header, kind: role.kind, distanceMm: role.distanceMm, flat: role.flat, unit: role.scale ?? scale }
            : { header, kind: role.kind },
      ),
      heats: p.samples.length,
      elementGaps: elementCoverage(p.samples, p.layout.elements, minElementShare),
      warnings: p.warnings,
      errors: [],
    };
  } catch (e) {
    if (!(e instanceof JominyCsvError)) throw e;
    return { ok: false, delimiter: null, decimalMark: null, distanceUnit: null, columns: [], heats: 0, elementGaps: null, warnings: [], errors: e.issues };
  }
}
