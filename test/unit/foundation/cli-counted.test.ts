import { describe, expect, it } from 'vitest';
import { counted } from '../../../core/cli/counted.js';

describe('CLI counts', () => {
  it('writes the noun in the number of the count (the map text printed "1 cells masked as porosity")', () => {
    expect(`${counted(1, 'cell')} masked as porosity`).toBe('1 cell masked as porosity');
    expect(`${counted(0, 'cell')} masked as porosity`).toBe('0 cells masked as porosity');
    expect(`${counted(12, 'cell')} masked as porosity`).toBe('12 cells masked as porosity');
    expect(counted(1, 'patch', 'patches')).toBe('1 patch');
    expect(counted(2, 'patch', 'patches')).toBe('2 patches');
  });
});
