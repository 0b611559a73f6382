import { StoredScaleWarnings } from '../../api/methods/cnn.js';

/**
 * A model's or a predicted map's scale warnings kept in a JSON column (migrations 028, 029). NULL is "not recorded"
 * (stored before), and so is a cell this version cannot read (damaged, or written by another version): never [],
 * which says the sections were checked and none contradicted its tag.
 */
export function readScaleWarnings(json: string | null): StoredScaleWarnings {
  if (json === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  const parsed = StoredScaleWarnings.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** The column's value: the list as JSON ([] included), NULL for not recorded. */
export const scaleWarningsJson = (w: StoredScaleWarnings): string | null => (w === null ? null : JSON.stringify(w));
