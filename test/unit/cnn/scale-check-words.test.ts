import { describe, expect, it } from 'vitest';
import { scaleCheckPhrases } from '../../../core/api/scale-check-words.js';
import { readScaleWarnings } from '../../../core/store/repos/stored-scale-warnings.js';
import { english } from '../../../core/runtime/english.js';
import { reportPhraser } from '../../../core/report/report-i18n.js';
import { phrase } from '../../../core/api/phrase.js';
import type { SectionScaleWarning } from '../../../core/api/methods/cnn.js';

// Review 27b: a stored [] was worded "no contradiction (checked)" whatever had been compared. The words now say how
// many sections carried a believed tag and a rim, why the others could not be checked, and a legacy list (stored by
// the first build of 028/029) keeps its contradictions but never reads as "checked, none". Fails before: no counts.

const warning: SectionScaleWarning = {
  billetId: 4, billetName: 'H-7', imageId: 9, calibratedMmPerPx: 0.4, taggedMmPerPx: 0.1, tagPxPerInch: 254, ratio: 4,
  phrase: phrase('scale.sectionOffTag', { name: 'H-7', warning: 'rim 4× its tag' }),
};

describe('a scale check in words', () => {
  it('one of three sections compared, two camera photos: no contradiction found, said of that one only', () => {
    const words = scaleCheckPhrases({ counts: { sections: 3, compared: 1, noTag: 2, unread: 0, noRim: 0 }, warnings: [] });
    expect(words.map((p) => english(p))).toEqual([
      'section scale vs resolution tag: no contradiction found; sections checked (a believed tag and a rim): 1 of 3',
      "not checked: 2 without a believed resolution tag (none in the file, or a camera's 72–350 dpi default: a camera photo)",
    ]);
    expect(words.map((p) => reportPhraser('zh')(p))[0]).toBe('截面比例尺与分辨率标签：未发现矛盾；被检查的截面（具有可信标签和边缘）：3 个中的 1 个');
    expect(words.map((p) => reportPhraser('it')(p))[0]).toBe('scala della sezione e tag di risoluzione: nessuna contraddizione trovata; sezioni controllate (tag credibile e bordo): 1 su 3');
  });

  it('none compared (unread, no rim) says none could be checked; a base not recorded is said so under its heading', () => {
    const words = scaleCheckPhrases({ counts: { sections: 2, compared: 0, noTag: 0, unread: 1, noRim: 1 }, warnings: [], from: { role: 'base', modelId: 3, modelName: 'base-3', check: null } });
    expect(words.map((p) => english(p))).toEqual([
      'section scale vs resolution tag: none could be checked; sections with both a believed resolution tag and a rim: 0 of 2',
      'not checked: 1 whose resolution tag could not be read',
      'not checked: 1 with no rim set',
      'the base model base-3 (this model was fine-tuned from it), its training sections as stored:',
      'section scale vs resolution tag: not recorded (stored before Ferrolab kept this check)',
    ]);
  });

  it('a column from the first build of 028/029 (a bare list): [] reads not recorded, a list keeps its contradictions without counts', () => {
    expect(readScaleWarnings('[]')).toBeNull();
    expect(readScaleWarnings(JSON.stringify([warning]))).toEqual({ counts: null, warnings: [warning] });
    expect(scaleCheckPhrases(readScaleWarnings(JSON.stringify([warning]))).map((p) => p.code)).toEqual(['scale.check.countsNotRecorded', 'scale.sectionOffTag']);
    expect(readScaleWarnings('{"counts": 3}')).toBeNull();
    expect(readScaleWarnings('not json')).toBeNull();
  });
});
