import { describe, expect, it } from 'vitest';
import { formatNumberList, parseNumberList } from '../../../renderer/src/lib/number-list.js';

describe('a list of numbers typed in one field (contour levels)', () => {
  it('Italian: "0,95 1 1,05" is 0.95, 1, 1.05 — a decimal comma is never read as a separator', () => {
    expect(parseNumberList('0,95 1 1,05', 'it')).toEqual({ ok: true, values: [0.95, 1, 1.05] });
    expect(parseNumberList(' 0,95;1;1,05 ', 'it')).toEqual({ ok: true, values: [0.95, 1, 1.05] });
    // "0,95,1" cannot be told apart: refused as one part, never read as 0, 95 and 1
    const joined = parseNumberList('0,95,1', 'it');
    expect(joined.ok).toBe(false);
    if (!joined.ok) expect(joined.part).toBe('0,95,1');
  });

  it('English and Chinese: commas, spaces and ";" separate; a decimal comma is refused with the way to write it', () => {
    expect(parseNumberList('0.95, 1, 1.05', 'en')).toEqual({ ok: true, values: [0.95, 1, 1.05] });
    expect(parseNumberList('0.95 1 1.05', 'zh')).toEqual({ ok: true, values: [0.95, 1, 1.05] });
    const it = parseNumberList('0.95 1.05', 'it');
    expect(it.ok).toBe(false);
    if (!it.ok) expect(it.refusal).toMatchObject({ key: 'numbers:wrongMark', vars: { value: '0.95', fixed: '0,95' } });
  });

  it('keeps the strict refusals ("0x1", "1e-400") and writes a list back in the language', () => {
    for (const bad of ['0x1', '1e-400', '.5']) expect(parseNumberList(`1 ${bad}`, 'en')).toMatchObject({ ok: false, part: bad });
    expect(parseNumberList('', 'it')).toEqual({ ok: true, values: [] });
    expect(formatNumberList([0.95, 1, 1.05], 'it')).toBe('0,95 1 1,05');
    expect(formatNumberList([0.95, 1, 1.05], 'en')).toBe('0.95 1 1.05');
  });
});
