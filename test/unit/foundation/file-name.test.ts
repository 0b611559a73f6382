import { describe, expect, it } from 'vitest';
import { safeFileName } from '../../../core/runtime/file-name.js';

describe('safeFileName (the one slug of names in file names)', () => {
  it('keeps letters, digits, _ . -; folds accents; one separator per run; trims; caps the length; falls back', () => {
    expect(safeFileName('Coulée 7 / 42CrMo4')).toBe('Coulee_7_42CrMo4');
    expect(safeFileName('Coulée 7 / 42CrMo4', { sep: '-' })).toBe('Coulee-7-42CrMo4');
    expect(safeFileName('  ../../etc/passwd ')).toBe('.._.._etc_passwd');
    expect(safeFileName('P01')).toBe('P01');
    expect(safeFileName('x'.repeat(100), { maxLength: 80 })).toHaveLength(80);
    expect(safeFileName('///', { fallback: 'billet' })).toBe('billet');
    expect(safeFileName('偏析 钢坯 3')).toBe('偏析_钢坯_3');
  });
});
