import { describe, expect, it } from 'vitest';
import { formatNumber, parseLocaleNumber } from '../../../renderer/src/lib/locale-number.js';
import { parseEntry } from '../../../renderer/src/components/annotate/entry.js';

describe('numbers in the UI language', () => {
  it('shows a decimal comma in Italian and a point in English and Chinese, with the unit, never grouped', () => {
    expect(formatNumber(0.438, 'it', { unit: 'wt.%' })).toBe('0,438\u00a0wt.%');
    expect(formatNumber(0.438, 'en', { unit: 'wt.%' })).toBe('0.438\u00a0wt.%');
    expect(formatNumber(0.438, 'zh')).toBe('0.438');
    expect(formatNumber(1234.5, 'it', { digits: 2 })).toBe('1234,50');
    expect(formatNumber(1234.5, 'en', { digits: 2 })).toBe('1234.50');
    expect(formatNumber(-2.5, 'it')).toBe('-2,5');
    expect(formatNumber(null, 'en')).toBe('—');
  });

  it('writes significant digits as toPrecision does, in the language, never in exponent form', () => {
    for (const v of [0.00452, 1.5, 123.456, 0.4, 2]) expect(formatNumber(v, 'en', { significant: 3 })).toBe(v.toPrecision(3));
    expect(formatNumber(0.00452, 'it', { significant: 3 })).toBe('0,00452');
    expect(formatNumber(1.5, 'it', { significant: 3 })).toBe('1,50');
    expect(formatNumber(12345.6, 'en', { significant: 3 })).toBe('12300');
    expect(formatNumber(-0.4, 'it', { significant: 3 })).toBe('-0,400');
    for (const v of [0.00452, 1.5, 123.456, 0.4]) expect(formatNumber(v, 'en', { maxSignificant: 3 })).toBe(String(+v.toPrecision(3)));
    expect(formatNumber(1.5, 'it', { maxSignificant: 3 })).toBe('1,5');
  });

  it('Italian: "0,438" is 0.438; English: "0,438" is refused with the way to write it', () => {
    expect(parseLocaleNumber('0,438', 'it')).toEqual({ ok: true, value: 0.438 });
    const en = parseLocaleNumber('0,438', 'en');
    expect(en.ok).toBe(false);
    if (!en.ok) {
      expect(en.refusal.key).toBe('numbers:wrongMark');
      expect(en.refusal.vars.fixed).toBe('0.438');
    }
    expect(parseLocaleNumber('0.438', 'en')).toEqual({ ok: true, value: 0.438 });
    expect(parseLocaleNumber('0.438', 'zh')).toEqual({ ok: true, value: 0.438 });
    const it = parseLocaleNumber('0.438', 'it');
    expect(it.ok ? null : it.refusal.vars.fixed).toBe('0,438');
  });

  it('refuses an entry that could mean two numbers, showing both readings in the user\'s notation', () => {
    const en = parseLocaleNumber('1,234', 'en');
    expect(en.ok).toBe(false);
    if (!en.ok) {
      expect(en.refusal.key).toBe('numbers:ambiguous');
      expect(en.refusal.vars).toMatchObject({ a: '1234', b: '1.234' });
    }
    const it = parseLocaleNumber('1.234', 'it');
    expect(it.ok).toBe(false);
    if (!it.ok) expect(it.refusal.vars).toMatchObject({ a: '1234', b: '1,234' });
    // Not a thousands group: only one reading, so accepted (or refused for its mark), never ambiguous.
    expect(parseLocaleNumber('1.2345', 'en')).toEqual({ ok: true, value: 1.2345 });
    expect(parseLocaleNumber('1,23', 'it')).toEqual({ ok: true, value: 1.23 });
    expect(parseLocaleNumber('12,345', 'it')).toEqual({ ok: true, value: 12.345 });
  });

  it('keeps the strict parser\'s refusals and the bounds', () => {
    for (const bad of ['0.', '.5', '0x37', '1e-400', 'Infinity', '1 000', '']) expect(parseLocaleNumber(bad, 'en').ok).toBe(false);
    expect(parseLocaleNumber('−0,5', 'it')).toEqual({ ok: true, value: -0.5 });
    const r = parseLocaleNumber('2,6', 'it', { min: 0, max: 2.5 });
    expect(r.ok ? null : r.refusal).toEqual({ key: 'numbers:outOfRange', vars: { value: '2,6', min: '0', max: '2,5' } });
  });

  it('the Annotate reading cell follows the language: it "0,438" stores 0.438, en "0,438" is refused', () => {
    expect(parseEntry('0,438', 'it')).toEqual({ values: [0.438] });
    expect(parseEntry('0,433 0,437', 'it')).toEqual({ values: [0.433, 0.437] });
    expect(parseEntry('0.438', 'en')).toEqual({ values: [0.438] });
    expect(parseEntry('0,438', 'en')).toMatchObject({ error: { key: 'numbers:wrongMark', vars: { fixed: '0.438' } } });
    expect(parseEntry('4520 ppm', 'it')).toEqual({ values: [0.452] });
    expect(parseEntry('1,234 ppm', 'en')).toMatchObject({ error: { key: 'numbers:ambiguous', vars: { a: '1234' } } });
  });
});
