import { describe, expect, it } from 'vitest';
import { formatChemistryText, parseChemistryRanges, parseChemistryText, parseElementNumbers } from '../../../core/api/jominy-chemistry.js';
import { constraintForApi, constraintsIssue, defaultForm, formOfSession, settingsOf, targetOf, tolerancesProblem, type DesignForm, type El } from '../../../renderer/src/components/jominy/design-settings.js';
import { parseLinearConstraint } from '../../../core/jominy/constraints.js';
import { ELEMENTS } from '../../../core/jominy/elements.js';
import type { DesignSession } from '../../../core/api/index.js';

/**
 * Chemistry typed where the language writes a decimal comma (Italian): `C=0,40; Mn=0,80`. The comma is the number's,
 * entries are separated by semicolons, and a value is read with that one mark — never guessed.
 */
describe('chemistry text with a decimal comma', () => {
  const it_ = { decimalMark: ',' as const };

  it('reads C=0,40; Mn=0,80 as 0.40 and 0.80 wt.%, and ranges and plain numbers the same way', () => {
    expect(parseChemistryText('C=0,40; Mn=0,80', it_)).toEqual({ ok: true, value: { C: 0.4, Mn: 0.8 } });
    expect(parseChemistryRanges('Cr=0,8:1,2; Mo=0:0,3', it_)).toEqual({ ok: true, value: { Cr: [0.8, 1.2], Mo: [0, 0.3] } });
    expect(parseElementNumbers('Cr=1; Ni=2,5', it_)).toEqual({ ok: true, value: { Cr: 1, Ni: 2.5 } });
  });

  it('refuses a value with the other mark, and commas used as separators, quoting what was typed', () => {
    const point = parseChemistryText('C=0.40', it_);
    expect(point.ok).toBe(false);
    if (!point.ok) expect(point.errors).toEqual(['C: value "0.40" uses the decimal mark "." where "," is expected']);
    const commas = parseChemistryText('C=0,40,Mn=0,80', it_);
    expect(commas.ok).toBe(false);
    if (!commas.ok) {
      expect(commas.problems[0].code).toBe('chem.badValue');
      expect(commas.problems[0].params.value).toBe('0,40,Mn=0,80');
    }
    // the hint shows the language's own notation
    const empty = parseChemistryText('', it_);
    expect(empty.ok).toBe(false);
    if (!empty.ok) expect(empty.problems[0].params.example).toBe('C=0,40; Mn=0,80');
  });

  it('with the decimal point (CLI, English, Chinese) commas or semicolons separate entries, and a decimal comma is refused', () => {
    expect(parseChemistryText('C=0.40,Mn=0.80')).toEqual({ ok: true, value: { C: 0.4, Mn: 0.8 } });
    expect(parseChemistryText('C=0.40; Mn=0.80')).toEqual({ ok: true, value: { C: 0.4, Mn: 0.8 } });
    const comma = parseChemistryText('C=0,40');
    expect(comma.ok).toBe(false);
    if (!comma.ok) expect(comma.errors[0]).toMatch(/entry 2|cannot read "40"/);
  });

  it('formats values in either notation and reads them back unchanged', () => {
    const v = { C: 0.4, Mn: 0.8, B: 0.0002 };
    expect(formatChemistryText(v, it_)).toBe('C=0,4; Mn=0,8; B=0,0002');
    expect(formatChemistryText(v)).toBe('C=0.4,Mn=0.8,B=0.0002');
    expect(parseChemistryText(formatChemistryText(v, it_), it_)).toEqual({ ok: true, value: v });
    expect(parseChemistryText(formatChemistryText(v))).toEqual({ ok: true, value: v });
  });

  it('the design form in Italian: tolerances and linear constraints typed with commas reach the API as numbers, and a stored session reopens in Italian notation', () => {
    const elements = [...ELEMENTS] as El[];
    const f: DesignForm = { ...defaultForm(), tolerancesText: 'C=0,02; Mn=0,05', linearText: 'Cr+Mo<=1,4\nMn/S>=20' };
    expect(tolerancesProblem(f.tolerancesText, ',')).toBeNull();
    expect(tolerancesProblem(f.tolerancesText, '.')).not.toBeNull();
    const st = settingsOf(f, elements, ',');
    expect(st.tolerances).toEqual({ C: 0.02, Mn: 0.05 });
    expect(st.linear).toEqual(['Cr+Mo<=1.4', 'Mn/S>=20']);
    expect(parseLinearConstraint(st.linear![0]).rhs).toBe(1.4);
    expect(constraintForApi('2,5*Cr+Mo<=1,4', ',')).toBe('2.5*Cr+Mo<=1.4');
    expect(constraintForApi('Cr+Mo<=1,4', '.')).toBe('Cr+Mo<=1,4'); // English sends what was typed: the API refuses it
    const s = { id: 1, name: '', modelId: 1, parentSessionId: null, seed: 1, target: targetOf(f), settings: st, run: null, results: [], createdAt: '', updatedAt: '' } as unknown as DesignSession;
    const back = formOfSession(s, defaultForm(), elements, null, ',');
    expect(back.tolerancesText).toBe('C=0,02; Mn=0,05');
    expect(back.linearText).toBe('Cr+Mo<=1,4\nMn/S>=20');
  });

  it('a constraint typed with a point where the language writes a comma is refused before a run, naming its line and text', () => {
    expect(constraintsIssue('Cr+Mo<=1,4\nMn/S>=20', ',')).toBeNull();
    // In Italian "1.400" is one thousand four hundred: never read as 1.4.
    expect(constraintsIssue('Mn/S>=20\n  Cr+Mo<=1.400 ', ',')).toEqual({ kind: 'constraint', line: 2, value: 'Cr+Mo<=1.400', text: 'constraint line 2: "Cr+Mo<=1.400" uses the decimal mark "." where "," is expected' });
    expect(constraintsIssue('2.5*Cr+Mo<=1,4', ',')).toMatchObject({ line: 1, value: '2.5*Cr+Mo<=1,4' });
    expect(constraintsIssue('Cr+Mo<=.4', ',')).toMatchObject({ line: 1, value: 'Cr+Mo<=.4' });
    expect(constraintsIssue('Cr+Mo<=1.4', '.')).toBeNull();
  });

  it('one separator after the last entry ends the list; an empty entry inside it is still refused', () => {
    expect(parseChemistryText('C=0,40; Mn=0,80;', it_)).toEqual({ ok: true, value: { C: 0.4, Mn: 0.8 } });
    expect(parseChemistryText('C=0.40,Mn=0.80, ')).toEqual({ ok: true, value: { C: 0.4, Mn: 0.8 } });
    expect(parseChemistryText('C=0,40;; ', it_)).toMatchObject({ ok: false, errors: ['entry 2 is empty (write El=value, e.g. C=0,40; Mn=0,80)'] });
    expect(parseChemistryText(';')).toMatchObject({ ok: false, errors: ['entry 1 is empty (write El=value, e.g. C=0.40,Mn=0.80)'] });
  });
});
