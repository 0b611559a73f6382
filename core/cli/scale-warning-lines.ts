import type { StoredScaleWarnings } from '../api/methods/cnn.js';
import { english } from '../runtime/english.js';

/**
 * A model's stored scale warnings as report lines: each section trained at a scale its resolution tag contradicts,
 * or that none did, or that the check was not recorded (a model stored before migration 028, or imported from one).
 */
export function scaleWarningLines(w: StoredScaleWarnings, what: 'model' | 'map'): string[] {
  if (w === null) return [`section scale vs resolution tag: not recorded (${what === 'model' ? 'model' : 'map'} stored before Ferrolab kept this check)`];
  if (!w.length) return [`section scale vs resolution tag: no ${what === 'model' ? 'training section' : 'section'} contradicts its tag`];
  return w.map((x) => `WARNING: ${english(x.phrase)}`);
}
