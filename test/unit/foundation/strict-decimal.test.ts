import { describe, expect, it } from 'vitest';
import { cellError, parseStrictDecimal, parseStrictInteger } from '../../../core/api/strict-decimal.js';

const ok = (s: string, mark?: '.' | ',') => {
  const r = parseStrictDecimal(s, mark ? { decimalMark: mark } : {});
  if (!r.ok) throw new Error(`${s}: ${r.reason}`);
  return r.value;
};
const reason = (s: string, mark?: '.' | ',') => {
  const r = parseStrictDecimal(s, mark ? { decimalMark: mark } : {});
  return r.ok ? null : r.reason;
};

describe('strict decimal parser', () => {
  it('reads plain decimals exactly as Number() would', () => {
    expect(ok('0.438')).toBe(0.438);
    expect(ok(' -88.38 ')).toBe(-88.38);
    expect(ok('+1')).toBe(1);
    expect(ok('4380e-4')).toBe(0.438);
    expect(ok('1.5E3')).toBe(1500);
    expect(ok('\u22122.5')).toBe(-2.5);
    expect(ok('0')).toBe(0);
    expect(ok('0.000')).toBe(0);
    expect(ok('0,438', ',')).toBe(0.438);
    expect(ok('2,5e-1', ',')).toBe(0.25);
  });

  it('refuses what Number() or parseFloat() would silently misread', () => {
    for (const bad of ['0x37', '0b0', '0o7', '', '  ', 'Infinity', 'NaN', '1.2.3', '1 000', '.5', '0.', '1e', 'e5', '--1', '#VALUE!', 'n/a']) {
      expect(reason(bad), bad).not.toBeNull();
    }
    expect(reason('0,438')).toBe('uses the decimal mark "," where "." is expected');
    expect(reason('0.438', ',')).toBe('uses the decimal mark "." where "," is expected');
    expect(reason('1e-400')).toMatch(/too small/);
    expect(reason('4.9e-324')).toMatch(/too small/);
    expect(reason('1e400')).toMatch(/too large/);
    expect(ok('0e-400')).toBe(0); // an exact zero stays zero
  });

  it('integers: whole numbers only, exactly representable', () => {
    expect(parseStrictInteger(' 42 ')).toEqual({ ok: true, value: 42 });
    expect(parseStrictInteger('-7')).toEqual({ ok: true, value: -7 });
    for (const bad of ['4.0', '1e3', '0x10', '', '9007199254740993']) expect(parseStrictInteger(bad).ok, bad).toBe(false);
  });

  it('names line, column and value', () => {
    expect(cellError({ line: 3, column: 'carbon' }, '0,438', 'is not a plain decimal number')).toBe(
      'line 3, column "carbon": value "0,438" is not a plain decimal number',
    );
  });
});
