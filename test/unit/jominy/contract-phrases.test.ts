import { describe, expect, it } from 'vitest';
import type { Phrase } from '../../../core/api/phrase.js';
import { english } from '../../../core/runtime/english.js';
import { reportPhraser } from '../../../core/report/report-i18n.js';
import { elementValueIssue } from '../../../core/jominy/elements.js';
import { dataRangePhrase } from '../../../core/services/jominy/design.js';
import { apiSession } from '../../helpers/api-session.js';

/**
 * Issue 15: the JoMiner contract's own argument checks are said as codes. The dispatcher's frame ("method: field
 * …: …") carries the check's sentence as a nested phrase, so the interface words the whole refusal in Chinese or
 * Italian; the English message is the one the CLI always printed. zod's own checks stay quoted as zod wrote them.
 */
const { api } = apiSession();
const zh = reportPhraser('zh');
const it_ = reportPhraser('it');

/** The refusal of a contract call: its code, message, field and phrase. */
async function refusal(call: Promise<unknown>): Promise<{ code: string; message: string; field?: string; phrase: Phrase }> {
  const err = (await call.then(
    () => null,
    (e: unknown) => e,
  )) as { code: string; message: string; field?: string; phrase: Phrase } | null;
  if (!err) throw new Error('the call was not refused');
  return err;
}

const fifteen = (v: number) => Array.from({ length: 15 }, () => v);

describe('JoMiner argument checks in the user language', () => {
  it('an element over the limits table: the chem sentence nested in the field frame', async () => {
    const e = await refusal(api['jominy.predict']({ modelId: 1, chemistry: { C: 5 } }));
    expect(e).toMatchObject({ code: 'invalid_argument', field: 'chemistry.C', message: 'jominy.predict: field "chemistry.C": C 5 wt.% is above the limit of 1.2 wt.%' });
    expect(e.phrase).toEqual({
      code: 'errors.app.invalidField',
      params: { where: 'jominy.predict', field: 'chemistry.C', detail: { code: 'chem.aboveLimit', params: { el: 'C', value: { value: 5 }, limit: { value: 1.2 } } } },
    });
    expect(english(e.phrase)).toBe(e.message);
    expect(zh(e.phrase)).toBe('jominy.predict：字段“chemistry.C”：C 5 wt.% 超过上限 1.2 wt.%');
    expect(it_(e.phrase)).toBe('jominy.predict: campo «chemistry.C»: C 5 wt.% supera il limite di 1.2 wt.%');
  });

  it('an unknown element is named as given, in each language', async () => {
    const e = await refusal(api['jominy.predict']({ modelId: 1, chemistry: { Xx: 1 } as never }));
    expect(e.message).toBe('jominy.predict: field "chemistry": unknown element "Xx" (elements: C, Mn, Si, P, S, Cu, Cr, Ni, Mo, B, Ti, Nb, Sn, Al, V)');
    expect((e.phrase.params.detail as Phrase).code).toBe('jominyZod.unknownElement');
    expect(zh(e.phrase)).toBe('jominy.predict：字段“chemistry”：未知元素“Xx”（可用元素：C, Mn, Si, P, S, Cu, Cr, Ni, Mo, B, Ti, Nb, Sn, Al, V）');
  });

  it('a hardness below 0 and a target of the wrong length', async () => {
    const neg = await refusal(api['jominy.design']({ modelId: 1, target: { kind: 'curve', hardness: [40, 40, 40, -1, ...fifteen(40).slice(4)] } }));
    expect(neg).toMatchObject({ field: 'target.hardness.3', message: 'jominy.design: field "target.hardness.3": hardness cannot be negative' });
    expect(it_(neg.phrase)).toBe('jominy.design: campo «target.hardness.3»: la durezza non può essere negativa');
    const short = await refusal(api['jominy.design']({ modelId: 1, target: { kind: 'band', min: [30, 30], max: fifteen(50) } }));
    expect(short.message).toBe('jominy.design: field "target.min": band min: exactly 15 values (one per standard distance)');
    expect(zh(short.phrase)).toBe('jominy.design：字段“target.min”：带下限：须恰好 15 个值（每个标准距离一个）');
    const above = await refusal(api['jominy.design']({ modelId: 1, target: { kind: 'curve', hardness: fifteen(85) } }));
    expect(above.message).toBe('jominy.design: field "target.hardness.0": above 80 HRC is not a Rockwell C value');
  });

  it('grades: no range at all, a range upside down, a band point upside down', async () => {
    const none = await refusal(api['jominy.grades.create']({ name: 'g', ranges: {} }));
    expect(none.message).toBe('jominy.grades.create: field "ranges": a grade needs a range for at least one element');
    expect(it_(none.phrase)).toBe('jominy.grades.create: campo «ranges»: una qualità richiede un intervallo per almeno un elemento');
    const order = await refusal(api['jominy.grades.create']({ name: 'g', ranges: { C: [0.43, 0.38] } }));
    expect(order.message).toBe('jominy.grades.create: field "ranges.C": C: min 0.43 is above max 0.38');
    expect((order.phrase.params.detail as Phrase).code).toBe('chem.rangeOrder');
    const band = await refusal(api['jominy.grades.create']({ name: 'g', ranges: { C: [0.38, 0.43] }, band: { min: [50, ...fifteen(30).slice(1)], max: fifteen(40) } }));
    expect(band.message).toBe('jominy.grades.create: field "band.min.0": band point 1: min 50 is above max 40');
    expect(zh(band.phrase)).toBe('jominy.grades.create：字段“band.min.0”：带的第 1 个点：最小值 50 大于最大值 40');
  });

  it('an ensemble of one member; zod\'s own text stays quoted as zod wrote it', async () => {
    const one = await refusal(api['jominy.models.train']({ datasetId: 1, ensemble: 1 }));
    expect(one.message).toBe('jominy.models.train: field "ensemble": ensemble: 0 (none) or 2–10 members');
    expect(it_(one.phrase)).toBe('jominy.models.train: campo «ensemble»: ensemble: 0 (nessuno) o 2–10 membri');
    const zodOwn = await refusal(api['jominy.models.train']({ datasetId: 1, ensemble: 1.5 }));
    expect(typeof zodOwn.phrase.params.detail).toBe('string');
    expect(zh(zodOwn.phrase)).toBe(`jominy.models.train：字段“ensemble”：${String(zodOwn.phrase.params.detail)}`);
  });
});

describe('a design range from the data that breaks the limits table', () => {
  it('is one sentence of its own, the English as before, worded in zh and it', () => {
    const issue = elementValueIssue('B', 50)!;
    const p = dataRangePhrase('B', 0.001, 50, issue);
    expect(english(p)).toBe('design range of B (0.001–50 wt.%, from the training data): B 50 wt.% is above the limit of 0.01 wt.% — looks like ppm; give wt.% (50 ppm = 0.005 wt.%); give a range for B');
    expect(zh(p)).toBe('B 的设计范围（0.001–50 wt.%，取自训练数据）：B 50 wt.% 超过上限 0.01 wt.% —— 看起来是 ppm；请以 wt.% 填写（50 ppm = 0.005 wt.%）；请为 B 给出范围');
    expect(it_(dataRangePhrase('Mn', -0.2, 1, elementValueIssue('Mn', -0.2)!))).toBe('intervallo di progetto di Mn (-0.2–1 wt.%, dai dati di addestramento): Mn -0.2 è negativo (i limiti sono 0–2.5 wt.%); indica un intervallo per Mn');
  });
});
