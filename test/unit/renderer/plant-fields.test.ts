import { describe, expect, it } from 'vitest';
import { emptyPlantForm, plantRequest } from '../../../renderer/src/components/maps/plant-fields.js';
import { PlantFieldsSchema } from '../../../core/api/methods/maps.js';

describe('Maps form: plant-report fields', () => {
  it('sends nothing when empty, trims text, and reads the acceptance classes strictly', () => {
    expect(plantRequest(emptyPlantForm())).toBeUndefined();
    const p = plantRequest({ ...emptyPlantForm(), etchant: '  nital 2 % ', acceptance: 'A=1.10, B = 1.2' });
    expect(p).toEqual({ heat: undefined, grade: undefined, etchant: 'nital 2 %', analyserMethod: undefined, signedOffBy: undefined, acceptance: [{ name: 'A', maxRatio: 1.1 }, { name: 'B', maxRatio: 1.2 }] });
    expect(PlantFieldsSchema.parse(p)).toEqual(p);
    expect(plantRequest({ ...emptyPlantForm(), acceptance: '1.15' })!.acceptance).toEqual([{ name: 'accepted', maxRatio: 1.15 }]);
    expect(() => plantRequest({ ...emptyPlantForm(), acceptance: 'A=0x1' })).toThrow(/limit "0x1"/);
    // out of order: refused by the contract with the reason
    const unordered = plantRequest({ ...emptyPlantForm(), acceptance: 'A=1.2; B=1.1' });
    expect(PlantFieldsSchema.safeParse(unordered).error?.issues[0].message).toMatch(/must increase/);
  });
});
