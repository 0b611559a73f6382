/**
 * The marks a design's value carries where it is no prediction (core/jominy/point-marks.ts decides them): their kinds,
 * the footnote order, the sign printed beside the value, and which distances and ranks carry each. ONE definition for the
 * CLI, the session CSV and the Design page, so a sign or the order cannot drift between them. Pure and in core/api/ so
 * the renderer runs it too (.dependency-cruiser.cjs).
 */

/** held: beyond the predictor's points, its end value held; noNetwork: read across a skipped point; capped: lowered to the
 * martensite maximum of its carbon; belowScale: under 20 HRC, where the Rockwell C scale ends. */
export type PointMark = (typeof POINT_MARK_KINDS)[number];

/** The kinds in footnote order: the reason a reader most needs first, as core/jominy/point-marks.ts assigns a point its first mark (the contract's enum too). */
export const POINT_MARK_KINDS = ['held', 'noNetwork', 'capped', 'belowScale'] as const;

/** The sign beside a marked value (`~` held, `≈` no network, `*` capped, `<` below 20 HRC), as `jominy predict` prints them. */
export const POINT_MARK_SIGN: Readonly<Record<PointMark, string>> = { held: '~', noNetwork: '≈', capped: '*', belowScale: '<' };

/** One footnote per kind of mark the designs carry, in the footnote order: the distances (mm) where it stands and the ranks that carry it. */
export function pointMarkNotes(
  results: readonly { rank: number; marks?: readonly (PointMark | null)[] | null }[],
  distances: readonly number[],
): { mark: PointMark; mm: number[]; ranks: number[] }[] {
  return POINT_MARK_KINDS.flatMap((mark) => {
    const mm = distances.filter((_, i) => results.some((r) => r.marks?.[i] === mark));
    return mm.length ? [{ mark, mm, ranks: results.filter((r) => r.marks?.includes(mark)).map((r) => r.rank) }] : [];
  });
}
