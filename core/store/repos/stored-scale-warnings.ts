import { ScaleCheck, SectionScaleWarning, type StoredScaleCheck } from '../../api/methods/cnn.js';

/**
 * A model's or a predicted map's scale check kept in a JSON column (migrations 028, 029): what was compared, the
 * contradictions, and the check of the model it came from. NULL is "not recorded" (stored before), and so is a cell
 * this version cannot read (damaged, or written by another version). A list (the first build of 028/029 stored only
 * the contradictions) keeps its contradictions with its counts not recorded; an empty one said nothing about what
 * was checked, so it reads not recorded.
 */
export function readScaleWarnings(json: string | null): StoredScaleCheck {
  if (json === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  return storedScaleCheck(value);
}

/** A stored value (a column's, an exported model record's) as a check; anything else not recorded. */
export function storedScaleCheck(value: unknown): StoredScaleCheck {
  if (Array.isArray(value)) {
    const list = SectionScaleWarning.array().safeParse(value);
    return list.success && list.data.length ? { counts: null, warnings: list.data } : null;
  }
  const parsed = ScaleCheck.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** The column's value: the check as JSON, NULL for not recorded. */
export const scaleWarningsJson = (w: StoredScaleCheck): string | null => (w === null ? null : JSON.stringify(w));
