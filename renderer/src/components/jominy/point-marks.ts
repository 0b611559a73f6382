import type { DesignResultRow } from '../../../../core/api/index.js';

/**
 * A design's values that are no prediction, as the core marks them (core/jominy/point-marks.ts, filled by
 * jominy.sessions.get): the sign beside each value, the footnote per kind, and no interval there. Pure: no Svelte.
 */
export type PointMark = NonNullable<NonNullable<DesignResultRow['marks']>[number]>;

/** The footnote order and signs, the CLI's and the CSV's (`~` held, `≈` no network, `*` capped, `<` below 20 HRC). */
export const MARK_KINDS: readonly PointMark[] = ['held', 'noNetwork', 'capped', 'belowScale'];
export const MARK_SIGN: Readonly<Record<PointMark, string>> = { held: '~', noNetwork: '≈', capped: '*', belowScale: '<' };

type Marked = Pick<DesignResultRow, 'rank' | 'marks'>;

/** One footnote per kind of mark the designs carry: the distances (mm) where it stands and the ranks that carry it. */
export function markNotes(results: readonly Marked[], distances: readonly number[]): { mark: PointMark; mm: number[]; ranks: number[] }[] {
  return MARK_KINDS.flatMap((mark) => {
    const mm = distances.filter((_, i) => results.some((r) => r.marks?.[i] === mark));
    return mm.length ? [{ mark, mm, ranks: results.filter((r) => r.marks?.includes(mark)).map((r) => r.rank) }] : [];
  });
}

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
