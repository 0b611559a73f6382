import { phrase, type Phrase } from './phrase.js';
import type { StoredScaleCheck } from './methods/cnn.js';

/**
 * A stored scale check in words, one phrase a line: what was compared (only a section with a believed resolution tag
 * and a rim can be, so "no contradiction" is said only of those, with how many that was), why the others were not,
 * each contradiction, then the check of the model it came from (a fine-tune's base, a map's model) under its own
 * heading. The CLI prints the English, the views, the PNG and the PDF word the codes.
 */
export function scaleCheckPhrases(check: StoredScaleCheck): Phrase[] {
  if (check === null) return [phrase('scale.check.notRecorded')];
  const out: Phrase[] = [];
  const c = check.counts;
  if (c === null) out.push(phrase('scale.check.countsNotRecorded'));
  else {
    if (c.compared === 0) out.push(phrase('scale.check.noneCompared', { sections: c.sections }));
    else if (!check.warnings.length) out.push(phrase('scale.check.noneFound', { compared: c.compared, sections: c.sections }));
    else out.push(phrase('scale.check.contradicted', { contradicted: check.warnings.length, compared: c.compared, sections: c.sections }));
    if (c.noTag) out.push(phrase('scale.check.noTag', { count: c.noTag }));
    if (c.unread) out.push(phrase('scale.check.unread', { count: c.unread }));
    if (c.noRim) out.push(phrase('scale.check.noRim', { count: c.noRim }));
  }
  out.push(...check.warnings.map((w) => w.phrase));
  const f = check.from;
  if (f) {
    const name = f.modelName ?? (f.modelId !== null ? `#${f.modelId}` : '?');
    out.push(f.role === 'base' ? phrase('scale.check.fromBase', { name }) : phrase('scale.check.fromModel', { name }));
    out.push(...scaleCheckPhrases(f.check));
  }
  return out;
}

/** The contradictions of a check and of the checks it carries (a fine-tune's base, a map's model). */
export function allScaleWarnings(check: StoredScaleCheck): NonNullable<StoredScaleCheck>['warnings'] {
  if (check === null) return [];
  return [...check.warnings, ...(check.from ? allScaleWarnings(check.from.check) : [])];
}
