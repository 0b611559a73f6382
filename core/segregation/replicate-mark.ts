import { MAX_REPLICATES } from './carbon-values.js';

/**
 * A replicate written into a point's label, as a lab that burns a point twice labels the burns: "R1-P05" / "R2-P05",
 * "P05-R1" / "P05-R2", "B12-P05_rep2". The mark is `R` or `Rep` with the replicate's number (1 to MAX_REPLICATES), set
 * off by a separator directly before the point or at the label's end. "R1-P05" had been read as billet "R1"'s P05
 * (two burns of one point refused as two billets), and "P05-R2" as no point at all.
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
    ? { rest: after[1]!, mark: after[2]!, n: Number(after[3]) }
    : (() => {
      const b = BEFORE.exec(s);
      return b ? { rest: b[1]! + b[4]!, mark: b[2]!, n: Number(b[3]) } : null;
    })();
  if (!m || m.n < 1 || m.n > MAX_REPLICATES) return null;
  return { rest: m.rest, mark: m.mark, replicateNo: m.n };
}

/**
 * The point a label names and the replicate marked in it, for both imports (readings rows, attached patches' file
 * names): a point's own label is never split (`isPointLabel`), and a mark spelt as a billet's name in this data folder
 * (`isBilletName`: a billet "R1") is that billet's, not a replicate.
 */
export function readMarkedLabel(
  raw: string,
  match: (raw: string) => string | null,
  isPointLabel: (raw: string) => boolean,
  isBilletName: (mark: string) => boolean,
): { label: string | null; mark: ReplicateMark | null } {
  if (isPointLabel(raw)) return { label: match(raw), mark: null };
  const mark = splitReplicateMark(raw);
  const marked = mark && !isBilletName(mark.mark) ? match(mark.rest) : null;
  return marked ? { label: marked, mark } : { label: match(raw), mark: null };
}

/** A trailing bare number after what names a point ("P05/2", "P05-2"): the form a replicate is not read from. */
export function bareNumberAfter(raw: string): { rest: string; number: string } | null {
  const m = /^(.*[a-z0-9])[^a-z0-9]+(\d{1,2})$/i.exec(raw.trim());
  return m ? { rest: m[1]!, number: m[2]! } : null;
}
