import { phrase, type Phrase } from '../api/phrase.js';
import type { DecimalMark } from '../api/strict-decimal.js';

/**
 * The sentence for a Jominy CSV cell that is not a number (csv.ts), as a phrase code (core/api/phrase.ts): one code per
 * reason, so each language words the whole sentence — the element's or the distance's frame and the reason together —
 * and the cell's text is quoted exactly as written. Every code is written out literally so that the catalog test
 * (test/unit/renderer/core-phrases.test.ts) checks its variables against its words.
 */

/** Why the file's decimal mark is what it is: told after a refused mark. */
export type MarkHint = 'declared' | 'commaFile' | 'fileCommas' | 'filePoints';

export type NumberRefusal =
  | { kind: 'detectionLimit' }
  | { kind: 'wrongMark'; hint: MarkHint; mark: DecimalMark; other: DecimalMark }
  /** `token`: the cell looks like an undeclared "not measured" marker (NA, -, …): the sentence says how to declare one. */
  | { kind: 'notDecimal'; token: boolean }
  | { kind: 'tooLarge' }
  | { kind: 'tooSmallZero' }
  | { kind: 'tooSmall' };

/** `C value "0,4x" is not a plain decimal number`, in the words of the refusal's reason. */
export function elementCellPhrase(el: string, value: string, r: NumberRefusal): Phrase {
  switch (r.kind) {
    case 'detectionLimit':
      return phrase('jominyCsv.element.detectionLimit', { el, value });
    case 'wrongMark': {
      const { mark, other } = r;
      if (r.hint === 'declared') return phrase('jominyCsv.element.wrongMarkDeclared', { el, value, mark, other });
      if (r.hint === 'commaFile') return phrase('jominyCsv.element.wrongMarkCommaFile', { el, value, mark, other });
      if (r.hint === 'fileCommas') return phrase('jominyCsv.element.wrongMarkFileCommas', { el, value, mark, other });
      return phrase('jominyCsv.element.wrongMarkFilePoints', { el, value, mark, other });
    }
    case 'notDecimal':
      return r.token ? phrase('jominyCsv.element.notDecimalToken', { el, value }) : phrase('jominyCsv.element.notDecimal', { el, value });
    case 'tooLarge':
      return phrase('jominyCsv.element.tooLarge', { el, value });
    case 'tooSmallZero':
      return phrase('jominyCsv.element.tooSmallZero', { el, value });
    case 'tooSmall':
      return phrase('jominyCsv.element.tooSmall', { el, value });
  }
}

/** `hardness "4x" at J7 is not a plain decimal number`, in the words of the refusal's reason. */
export function hardnessCellPhrase(label: string, value: string, r: NumberRefusal): Phrase {
  switch (r.kind) {
    case 'detectionLimit':
      return phrase('jominyCsv.hardness.detectionLimit', { label, value });
    case 'wrongMark': {
      const { mark, other } = r;
      if (r.hint === 'declared') return phrase('jominyCsv.hardness.wrongMarkDeclared', { label, value, mark, other });
      if (r.hint === 'commaFile') return phrase('jominyCsv.hardness.wrongMarkCommaFile', { label, value, mark, other });
      if (r.hint === 'fileCommas') return phrase('jominyCsv.hardness.wrongMarkFileCommas', { label, value, mark, other });
      return phrase('jominyCsv.hardness.wrongMarkFilePoints', { label, value, mark, other });
    }
    case 'notDecimal':
      return r.token ? phrase('jominyCsv.hardness.notDecimalToken', { label, value }) : phrase('jominyCsv.hardness.notDecimal', { label, value });
    case 'tooLarge':
      return phrase('jominyCsv.hardness.tooLarge', { label, value });
    case 'tooSmallZero':
      return phrase('jominyCsv.hardness.tooSmallZero', { label, value });
    case 'tooSmall':
      return phrase('jominyCsv.hardness.tooSmall', { label, value });
  }
}
