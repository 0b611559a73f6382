import { describe, expect, it } from 'vitest';
import { patchScaleFor, scaleLabel, scaleLabelPhrase, type ModelScale } from '../../../core/segregation/cnn/scale.js';
import { english } from '../../../core/runtime/english.js';
import { reportPhraser } from '../../../core/report/report-i18n.js';

/** A model's scale in words as a code (issue 15): the English is the label the CLI printed before; Chinese and Italian keep its numbers. */
describe('scale label as a code', () => {
  const s: ModelScale = { patchMm: 13.6, trainedMmPerPx: 0.425, inputSize: 32 };
  const detailed: ModelScale = { ...s, detailMmPerPx: 0.8 };

  it('words the model scale, the unknown scale and a patch cut on an image in English as the label', () => {
    expect(english(scaleLabelPhrase(s, 32))).toBe(scaleLabel(s, 32));
    expect(english(scaleLabelPhrase(s, 32))).toBe('13.6 mm patch, trained at 0.425 mm/px (input 32 px)');
    expect(english(scaleLabelPhrase(detailed, 32))).toBe(scaleLabel(detailed, 32));
    expect(english(scaleLabelPhrase(null, 32))).toBe(scaleLabel(null, 32));
    expect(english(scaleLabelPhrase(s, 32, true))).toBe(`${scaleLabel(s, 32)}; attached patch images cut at their own scale`);
    expect(english(scaleLabelPhrase(detailed, 32, true))).toBe(`${scaleLabel(detailed, 32)}; attached patch images cut at their own scale`);
    const cut = patchScaleFor(s, 32, 0.2);
    expect(english(cut.labelPhrase!)).toBe(cut.label);
    expect(cut.label).toBe('13.6 mm patch: 68 px of this image (0.200 mm/px) → 32 px');
    const native = patchScaleFor(null, 32, null);
    expect(english(native.labelPhrase!)).toBe(native.label);
  });

  it('reads in Chinese and Italian with the same numbers', () => {
    expect(reportPhraser('zh')(scaleLabelPhrase(s, 32))).toBe('13.6 mm 取样块，训练尺度 0.425 mm/px（输入 32 px）');
    expect(reportPhraser('it')(patchScaleFor(s, 32, 0.2).labelPhrase)).toBe('campione di 13.6 mm: 68 px di questa immagine (0.200 mm/px) → 32 px');
  });
});
