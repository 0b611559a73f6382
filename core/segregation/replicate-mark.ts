import { MAX_REPLICATES } from './carbon-values.js';

/**
 * A replicate written into a point's label, as a lab that burns a point twice labels the burns: "P05-R1" / "P05-R2",
 * "B12-P05_rep2". The mark is `R` or `Rep` with a number (1 to MAX_REPLICATES), set off by a separator at the label's
 * end; it orders the point's burns within one file (readings-csv.ts), it is no global burn number. A mark written
 * directly before the point ("R2-P05") is found too, but only so that the import can refuse it: ring or ray numbering
 * is written so, and rings of equal size cannot be told from replicates.
 *
 * Only a mark whose rest names a point counts (the caller checks), and a bare number after the point ("P05/2",
 * "P05-2") is no mark: it could be a sub-point or a section as well as a burn.
 */
export interface ReplicateMark {
  /** The label without its mark ("B12-R2-P05" → "B12-P05", "P05-R2" → "P05"). */
  rest: string;
  /** The mark as written ("R2", "rep 2"). */
  mark: string;
  replicateNo: number;
  /** Written before the point ("R2-P05"), the form ring or ray numbering takes too: refused by the readings import. */
  before: boolean;
}

const TOKEN = '(?:r|rep)[ .]?0*(\\d{1,2})';
/** "P05-R2", "B12-P05 rep.2": the mark ends the label. */
const AFTER = new RegExp(`^(.*[a-z0-9])[^a-z0-9]+(${TOKEN})$`, 'i');
/** "R2-P05", "B12-R2-P05": the mark stands right before the point. */
const BEFORE = new RegExp(`^((?:.*[^a-z0-9])?)(${TOKEN})[^a-z0-9]+(p0*\\d+)$`, 'i');

/** The replicate mark of a label, or null when it has none (or a number outside 1…MAX_REPLICATES). */
export function splitReplicateMark(raw: string): ReplicateMark | null {
  const s = raw.trim();
  const after = AFTER.exec(s);
  const m = after
    ? { rest: after[1]!, mark: after[2]!, n: Number(after[3]), before: false }
    : (() => {
      const b = BEFORE.exec(s);
      return b ? { rest: b[1]! + b[4]!, mark: b[2]!, n: Number(b[3]), before: true } : null;
    })();
  if (!m || m.n < 1 || m.n > MAX_REPLICATES) return null;
  return { rest: m.rest, mark: m.mark, replicateNo: m.n, before: m.before };
}

/**
 * The point a label names and the replicate marked in it, for both imports (readings rows, attached patches' file
 * names): a point's own label is never split (`pointLabel`: "P05_R2" is the billet's point "P05-R2", separators
 * aside), and a mark that belongs to a billet's name in this data folder (`namesBillet`: a billet "R1", or "B12-R1"
 * whose label "B12-R1-P05" carries the mark inside the name) is that billet's, not a replicate.
 */
export function readMarkedLabel(
  raw: string,
  match: (raw: string) => string | null,
  pointLabel: (raw: string) => string | null,
  namesBillet: (raw: string, mark: ReplicateMark) => boolean,
): { label: string | null; mark: ReplicateMark | null } {
  const own = pointLabel(raw);
  if (own !== null) return { label: own, mark: null };
  const mark = splitReplicateMark(raw);
  const marked = mark && !(mark.before && namesBillet(raw, mark)) ? match(mark.rest) : null;
  return marked ? { label: marked, mark } : { label: match(raw), mark: null };
}

/** A trailing bare number after what names a point ("P05/2", "P05-2"): the form a replicate is not read from. */
export function bareNumberAfter(raw: string): { rest: string; number: string } | null {
  // "12.5" is a decimal (a position, a value in the wrong column?), not point 12's fifth burn
  if (isDecimal(raw)) return null;
  const m = /^(.*[a-z0-9])[^a-z0-9]+(\d{1,2})$/i.exec(raw.trim());
  return m ? { rest: m[1]!, number: m[2]! } : null;
}

/** A label that is a decimal number ("12.5", "12,5"): no point's name, and no point with a number after it. */
export const isDecimal = (raw: string): boolean => /^\d+[.,]\d+$/.test(raw.trim());
