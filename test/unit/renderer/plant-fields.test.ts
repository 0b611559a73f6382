import { describe, expect, it } from 'vitest';
import { emptyPlantForm, plantRequest, type PlantRequest } from '../../../renderer/src/components/maps/plant-fields.js';
import { PlantFieldsSchema } from '../../../core/api/methods/maps.js';

const plant = (r: PlantRequest) => {
  if (!r.ok) throw new Error(`refused: ${JSON.stringify(r.refusal)}`);
  return r.plant;
};

describe('Maps form: plant-report fields', () => {
  it('sends nothing when empty, trims text, and reads the acceptance classes strictly', () => {
    expect(plant(plantRequest(emptyPlantForm(), 'en'))).toBeUndefined();
    const p = plant(plantRequest({ ...emptyPlantForm(), etchant: '  nital 2 % ', acceptance: 'A=1.10, B = 1.2' }, 'en'));
    expect(p).toEqual({ heat: undefined, grade: undefined, etchant: 'nital 2 %', analyserMethod: undefined, signedOffBy: undefined, acceptance: [{ name: 'A', maxRatio: 1.1 }, { name: 'B', maxRatio: 1.2 }] });
    expect(PlantFieldsSchema.parse(p)).toEqual(p);
    expect(plant(plantRequest({ ...emptyPlantForm(), acceptance: '1.15' }, 'en'))!.acceptance).toEqual([{ name: 'accepted', maxRatio: 1.15 }]);
    expect(plantRequest({ ...emptyPlantForm(), acceptance: 'A=0x1' }, 'en')).toMatchObject({ ok: false, refusal: { kind: 'limit', part: 'A=0x1', number: { key: 'numbers:notNumber' } } });
    expect(plantRequest({ ...emptyPlantForm(), acceptance: 'A=0' }, 'en')).toEqual({ ok: false, refusal: { kind: 'notPositive', part: 'A=0' } });
    // out of order: refused by the contract with the reason
    const unordered = plant(plantRequest({ ...emptyPlantForm(), acceptance: 'A=1.2; B=1.1' }, 'en'));
    expect(PlantFieldsSchema.safeParse(unordered).error?.issues[0].message).toMatch(/must increase/);
  });

  it('a decimal comma is never a class separator where the language writes one, and is never read as two classes elsewhere (test fails before)', () => {
    // Italian: "A=1,10; B=1,20" is two classes at 1.10 and 1.20 (the old reader split on the commas: A=1, then 10, B=1, 20)
    expect(plant(plantRequest({ ...emptyPlantForm(), acceptance: 'A=1,10; B=1,20' }, 'it'))!.acceptance).toEqual([{ name: 'A', maxRatio: 1.1 }, { name: 'B', maxRatio: 1.2 }]);
    expect(plant(plantRequest({ ...emptyPlantForm(), acceptance: 'A=1,10' }, 'it'))!.acceptance).toEqual([{ name: 'A', maxRatio: 1.1 }]);
    // the other mark in Italian is refused with the one to use, never guessed
    expect(plantRequest({ ...emptyPlantForm(), acceptance: 'A=1.10' }, 'it')).toMatchObject({ ok: false, refusal: { kind: 'limit', part: 'A=1.10', number: { key: 'numbers:wrongMark', vars: { fixed: '1,10' } } } });
    // English (and Chinese): "A=1,10" was read as class A at C/C0 ≤ 1 and a class "accepted" at ≤ 10 — a wrong class,
    // silently. A bare limit is taken only alone, so it is refused by the part that has no name.
    for (const lang of ['en', 'zh'] as const) {
      expect(plantRequest({ ...emptyPlantForm(), acceptance: 'A=1,10' }, lang)).toEqual({ ok: false, refusal: { kind: 'unnamed', part: '10' } });
    }
    expect(plant(plantRequest({ ...emptyPlantForm(), acceptance: '1,15' }, 'it'))!.acceptance).toEqual([{ name: 'accepted', maxRatio: 1.15 }]);
  });
});
