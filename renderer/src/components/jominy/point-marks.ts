import type { DesignResultRow } from '../../../../core/api/index.js';
import { POINT_MARK_KINDS, POINT_MARK_SIGN, pointMarkNotes, type PointMark } from '../../../../core/api/jominy-point-marks.js';

/**
 * A design's values that are no prediction, as the core marks them (core/jominy/point-marks.ts, filled by
 * jominy.sessions.get): the sign beside each value, the footnote per kind, and no interval there. Pure: no Svelte. The
 * kinds, their order and signs are the core's own (core/api/jominy-point-marks.ts), so the page and the CLI cannot differ.
 */
export type { PointMark };
export const MARK_KINDS = POINT_MARK_KINDS;
export const MARK_SIGN = POINT_MARK_SIGN;

type Marked = Pick<DesignResultRow, 'rank' | 'marks'>;

/** One footnote per kind of mark the designs carry: the distances (mm) where it stands and the ranks that carry it. */
export const markNotes = (results: readonly Marked[], distances: readonly number[]) => pointMarkNotes(results, distances);

/** A design's marks in one cell: "~ 45, 50 mm; * 1.5 mm" (each kind once, in the footnotes' order), or '' when none. */
export function marksCell(r: Marked, distances: readonly number[], mmText: (v: number) => string = String): string {
  return MARK_KINDS.flatMap((mark) => {
    const at = distances.filter((_, i) => r.marks?.[i] === mark);
    return at.length ? [`${MARK_SIGN[mark]} ${at.map(mmText).join(', ')} mm`] : [];
  }).join('; ');
}

/**
 * An interval line (lo or hi) with nothing at a marked distance: the core states no interval where the value is no
 * prediction, so the chart's band leaves a gap there rather than shading an uncertainty nobody measured.
 */
export const unmarked = (values: readonly number[], marks: DesignResultRow['marks']): (number | null)[] => values.map((v, i) => (marks?.[i] ? null : v));

/** The core's meanHalfWidth itself (a pure module of the contract): marked distances have no interval and are not averaged in. */
export { meanHalfWidth } from '../../../../core/api/jominy-interval-width.js';
