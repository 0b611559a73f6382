import type { DesignSession, DesignSettings, TargetInput } from '../../../../core/api/index.js';
import { elementValueIssue, formatChemistryText, parseChemistryText, rangeOrderIssue, type ChemistryProblem } from '../../../../core/api/jominy-chemistry.js';
import type { DecimalMark } from '../../../../core/api/strict-decimal.js';
import type { Phrase } from '../../../../core/api/phrase.js';

/**
 * The Design form as plain data, and the two ways across: form → what `jominy.design` is sent (settings,
 * target) and a stored session → the form again (Open, Duplicate). Pure: no Svelte, no API, unit-tested.
 */

export type El = DesignSettings extends { fixed?: infer F } ? keyof NonNullable<F> : never;
export type WeightPreset = 'equal' | 'central' | 'custom';
export type CostMode = 'none' | 'paper' | 'custom';

export interface GaForm {
  /** 'default' = GA then CMA-ES refinement (converges at the paper's budget); 'paper-ga' = the paper's GA alone. */
  search: 'default' | 'paper-ga';
  population: number;
  generations: number;
  r: number;
  alpha: number;
  faga: boolean;
  topK: number;
  stallGenerations: number;
  domainWeight: number;
}

/** One element's limits row; a fixed element is held at `min`. */
export interface RangeRow {
  min: number;
  max: number;
  fixed: boolean;
}

export interface DesignForm {
  mode: 'curve' | 'band';
  target: (number | null)[];
  bandMin: (number | null)[];
  bandMax: (number | null)[];
  weightPreset: WeightPreset;
  weights: number[];
  costMode: CostMode;
  costs: number[];
  beta: number;
  ranges: RangeRow[];
  linearText: string;
  ga: GaForm;
  restarts: number;
  seed: number;
  name: string;
  /** The library grade the design keeps to (its ranges bound the search; the core checks every result against them). */
  gradeId: number | null;
  /**
   * What the core uses for a row the form does not send: the grade's range, else the data's P1–P99. A row
   * equal to it is not sent, so the core uses the exact values and the session says where they came from.
   */
  baseRanges: RangeRow[];
  /** Trust region: disagreement weight; the optional "maximise P(meet band)" term and its weight. */
  trust: { sdWeight: number; robust: boolean; robustWeight: number };
  /** Melt tolerances as typed, "C=0.02,Mn=0.05" (± wt.%, read by the shared chemistry reader). */
  tolerancesText: string;
}

/** The presets the core offers (jominy.meta): weights by name, the paper's costs and β. */
export interface Presets {
  weightPresets: Record<string, number[]>;
  costPreset: { costs: number[]; beta: number };
}

export const POINTS = 15;

/** The default form's target curve, before the distances the chosen predictor does not reach are blanked. */
export const DEFAULT_TARGET: readonly number[] = [52, 51, 49, 46, 42, 39, 37, 35, 32, 30, 29, 28, 27, 26, 25];

/**
 * A target's 15 values with the distances beyond the predictor's points (pointsLayout.outsideStandard) left empty:
 * the core refuses a target there (jominyErrors.targetBeyondPredictor), so every target source gives a curve or band
 * a user can design for without clearing cells by hand. No flags (details not read yet): unchanged.
 */
export function blankHeld<T>(values: readonly (T | null)[], outside: readonly boolean[] | null | undefined): (T | null)[] {
  return values.map((v, i) => (outside?.[i] ? null : v));
}

/** True while a target curve is still the default one (some of its distances possibly blanked for a predictor). */
export function isDefaultTarget(target: readonly (number | null)[]): boolean {
  return target.length === DEFAULT_TARGET.length && target.some((v) => v !== null) && target.every((v, i) => v === null || v === DEFAULT_TARGET[i]);
}

export function defaultForm(): DesignForm {
  return {
    mode: 'curve',
    target: [...DEFAULT_TARGET],
    bandMin: Array(POINTS).fill(null),
    bandMax: Array(POINTS).fill(null),
    weightPreset: 'equal',
    weights: Array(POINTS).fill(1),
    costMode: 'none',
    costs: Array(POINTS).fill(0),
    beta: 0,
    ranges: [],
    linearText: '',
    // domainWeight 4 and sdWeight 4: the core's defaults for a design (core/jominy/trust-region.ts DEFAULT_TRUST).
    ga: { search: 'default', population: 50, generations: 100, r: 3, alpha: 15, faga: false, topK: 5, stallGenerations: 0, domainWeight: 4 },
    restarts: 1,
    seed: 1,
    name: '',
    gradeId: null,
    baseRanges: [],
    trust: { sdWeight: 4, robust: false, robustWeight: 10 },
    tolerancesText: '',
  };
}

/**
 * Why the form cannot be sent, as data the view words in the interface language (a chemistry refusal carries the
 * core's code, core/api/jominy-chemistry.ts) beside the English sentence the API and the CLI use.
 */
export type FormIssue =
  | { kind: 'empty'; el: El; what: 'value' | 'minimum' | 'maximum'; text: string }
  | { kind: 'chemistry'; problem: ChemistryProblem; text: string }
  | { kind: 'tolerances'; problems: ChemistryProblem[]; text: string }
  | { kind: 'constraint'; line: number; value: string; text: string }
  | { kind: 'scale'; phrase: Phrase; text: string };

/** Where the Rockwell C scale ends (core/jominy/below-scale.ts SCALE_END.HRC): no HRC reading exists below it. */
const SCALE_END_HRC = 20;

/**
 * A target value (curve) or band high line below 20 HRC at a distance the target counts: refused before it is sent, in
 * the words the design service refuses it with (core/jominy/target-scale.ts targetScaleRefusal, same distances and
 * values). A band's low line is judged by the service alone: it needs the predictor's heats left out below the scale.
 */
export function targetScaleIssue(f: Pick<DesignForm, 'mode' | 'target' | 'bandMin' | 'bandMax' | 'weights' | 'weightPreset'>, distances: readonly number[]): FormIssue | null {
  // the weights as sent (settingsOf): 'equal' sends none, which the core reads as 1 everywhere
  const weight = (i: number) => (f.weightPreset === 'equal' ? 1 : (f.weights[i] ?? 0));
  const under = distances.flatMap((d, i) => {
    const counted = f.mode === 'curve' ? f.target[i] != null && weight(i) > 0 : f.bandMin[i] != null || f.bandMax[i] != null;
    const high = f.mode === 'curve' ? f.target[i] : f.bandMax[i];
    return counted && typeof high === 'number' && high < SCALE_END_HRC ? [`${d} mm: ${String(+high.toFixed(2))} HRC`] : [];
  });
  if (!under.length) return null;
  // the service's code and variables (the renderer takes only types from the core: the phrase is written as data)
  const p: Phrase = { code: f.mode === 'curve' ? 'jominyErrors.targetBelowScale' : 'jominyErrors.bandHighBelowScale', params: { points: under.join('; '), min: SCALE_END_HRC } };
  return { kind: 'scale', phrase: p, text: `target below ${SCALE_END_HRC} HRC at ${under.join('; ')}` };
}

/** Why the limits table refuses the design ranges, or null: the same refusals the API and the CLI make. */
export function rangesIssue(ranges: readonly RangeRow[], elements: readonly El[]): FormIssue | null {
  for (const [j, r] of ranges.entries()) {
    const el = elements[j];
    const ends: ['value' | 'minimum' | 'maximum', number][] = r.fixed ? [['value', r.min]] : [['minimum', r.min], ['maximum', r.max]];
    for (const [what, v] of ends) {
      // An emptied number input binds null: say so rather than send it.
      if (typeof v !== 'number' || !Number.isFinite(v)) return { kind: 'empty', el, what, text: `${el}: the ${what} is empty` };
      const problem = elementValueIssue(el, v);
      if (problem) return { kind: 'chemistry', problem, text: problem.text };
    }
    if (!r.fixed && r.min > r.max) {
      const problem = rangeOrderIssue(el, r.min, r.max);
      return { kind: 'chemistry', problem, text: problem.text };
    }
  }
  return null;
}

/** rangesIssue in English words (the API's and the CLI's). */
export const rangesProblem = (ranges: readonly RangeRow[], elements: readonly El[]): string | null => rangesIssue(ranges, elements)?.text ?? null;

/** The settings `jominy.design` is sent for this form. */
/**
 * A linear constraint as the API reads it. Where the language writes a decimal comma, `Cr+Mo<=1,4` means 1.4: a
 * formula has no list and no grouping, so a comma between digits has that one reading.
 */
export const constraintForApi = (line: string, mark: DecimalMark): string => (mark === ',' ? line.replace(/(\d),(\d)/g, '$1.$2') : line);
/**
 * Why a constraint typed where the language writes a decimal comma is refused before a run: a point beside a digit
 * (`Cr+Mo<=1.4`, `Cr+Mo<=1.400`, `Cr+Mo<=.4`) is refused as it is in the chemistry fields, never read as 1.4 — in Italian `1.400`
 * is one thousand four hundred. `line` counts the lines of the text as typed (1-based). Null when there is none.
 */
export function constraintsIssue(text: string, mark: DecimalMark): FormIssue | null {
  if (mark !== ',') return null;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const value = lines[i].trim();
    if (/\d\.|\.\d/.test(value)) return { kind: 'constraint', line: i + 1, value, text: `constraint line ${i + 1}: "${value}" uses the decimal mark "." where "," is expected` };
  }
  return null;
}
const constraintForForm = (line: string, mark: DecimalMark): string => (mark === ',' ? line.replace(/(\d)\.(\d)/g, '$1,$2') : line);

/** `mark`: the decimal mark of the interface language, in which the chemistry texts and constraints were typed. */
export function settingsOf(f: DesignForm, elements: readonly El[], mark: DecimalMark = '.'): DesignSettings {
  const ranges: Record<string, [number, number]> = {};
  const fixed: Record<string, number> = {};
  const base = f.baseRanges.length === f.ranges.length ? f.baseRanges : null;
  f.ranges.forEach((r, j) => {
    if (r.fixed) fixed[elements[j]] = r.min;
    else if (!base || r.min !== base[j].min || r.max !== base[j].max) ranges[elements[j]] = [r.min, r.max];
  });
  return {
    weights: f.weightPreset === 'equal' ? null : [...f.weights],
    costs: f.costMode === 'none' ? null : [...f.costs],
    beta: f.costMode === 'none' ? 0 : f.beta,
    ranges,
    fixed,
    linear: f.linearText.split('\n').map((s) => s.trim()).filter(Boolean).map((l) => constraintForApi(l, mark)),
    ga: { ...f.ga },
    restarts: f.restarts,
    ...(f.gradeId !== null ? { gradeId: f.gradeId } : {}),
    trust: { sdWeight: f.trust.sdWeight, robustWeight: f.trust.robust ? f.trust.robustWeight : 0 },
    tolerances: tolerancesOf(f.tolerancesText, mark),
  };
}

/** The tolerances typed, or {} when none or unreadable (tolerancesProblem says why before a run). */
function tolerancesOf(text: string, mark: DecimalMark): Partial<Record<El, number>> {
  if (!text.trim()) return {};
  const p = parseChemistryText(text, { decimalMark: mark });
  return p.ok ? (p.value as Partial<Record<El, number>>) : {};
}

/** Why the typed tolerances are refused (the API's and the CLI's refusals), or null. */
export function tolerancesIssue(text: string, mark: DecimalMark = '.'): FormIssue | null {
  if (!text.trim()) return null;
  const p = parseChemistryText(text, { decimalMark: mark });
  return p.ok ? null : { kind: 'tolerances', problems: p.problems, text: `melt tolerances: ${p.errors.join('; ')}` };
}

export const tolerancesProblem = (text: string, mark: DecimalMark = '.'): string | null => tolerancesIssue(text, mark)?.text ?? null;

/** Stored tolerances as the form's text. */
export const tolerancesText = (t: Partial<Record<string, number>> | undefined, mark: DecimalMark = '.'): string => formatChemistryText(t ?? {}, { decimalMark: mark });

export function targetOf(f: DesignForm): TargetInput {
  return f.mode === 'curve' ? { kind: 'curve', hardness: [...f.target] } : { kind: 'band', min: [...f.bandMin], max: [...f.bandMax] };
}

/**
 * The form a stored session was run with. Elements the session does not name keep their current rows
 * (and the rows are only filled once the predictor's ranges are known: `current.ranges` has every element).
 */
export function formOfSession(s: DesignSession, current: DesignForm, elements: readonly El[], presets: Presets | null, mark: DecimalMark = '.'): DesignForm {
  const st = s.settings;
  const beta = st.beta ?? 0;
  const f: DesignForm = {
    ...current,
    name: s.name,
    seed: s.seed,
    weights: st.weights ? [...st.weights] : Array(POINTS).fill(1),
    weightPreset: !st.weights ? 'equal' : JSON.stringify(st.weights) === JSON.stringify(presets?.weightPresets.central) ? 'central' : 'custom',
    costs: st.costs ? [...st.costs] : Array(POINTS).fill(0),
    beta,
    costMode: !st.costs ? 'none' : JSON.stringify(st.costs) === JSON.stringify(presets?.costPreset.costs) && beta === presets?.costPreset.beta ? 'paper' : 'custom',
    linearText: (st.linear ?? []).map((l) => constraintForForm(l, mark)).join('\n'),
    // A session stored before the search choice existed ran the paper's GA.
    ga: { ...current.ga, ...(st.ga ?? {}), search: st.ga?.search ?? 'paper-ga' } as GaForm,
    restarts: st.restarts ?? 1,
    gradeId: st.gradeId ?? null,
    trust: { sdWeight: st.trust?.sdWeight ?? current.trust.sdWeight, robust: (st.trust?.robustWeight ?? 0) > 0, robustWeight: (st.trust?.robustWeight ?? 0) > 0 ? st.trust!.robustWeight! : current.trust.robustWeight },
    tolerancesText: tolerancesText(st.tolerances, mark),
  };
  if (s.target.kind === 'curve') {
    f.mode = 'curve';
    f.target = [...s.target.hardness];
  } else {
    f.mode = 'band';
    f.bandMin = [...s.target.min];
    f.bandMax = [...s.target.max];
  }
  if (current.ranges.length === elements.length) {
    f.ranges = current.ranges.map((r, j) => {
      const el = elements[j];
      const fx = st.fixed?.[el];
      const rr = st.ranges?.[el];
      return fx !== undefined ? { min: fx, max: fx, fixed: true } : rr ? { min: rr[0], max: rr[1], fixed: false } : r;
    });
  }
  return f;
}

/**
 * The default range of every element, as limits rows (4 significant digits): the training data's 1st–99th
 * percentiles where the predictor reports them (p1/p99), else its min–max.
 */
export const rangesOfDomain = (domain: { min: number[]; max: number[]; p1?: number[]; p99?: number[] }, elements: readonly El[]): RangeRow[] =>
  elements.map((_, j) => ({ min: +(domain.p1 ?? domain.min)[j].toPrecision(4), max: +(domain.p99 ?? domain.max)[j].toPrecision(4), fixed: false }));

/** A grade as the form needs it: id, name, ranges per element, optional band. */
export interface GradeChoice {
  id: number;
  name: string;
  ranges: Partial<Record<El, [number, number]>>;
  band: { min: (number | null)[]; max: (number | null)[] } | null;
}

/**
 * Choosing a grade (or none): its ranges replace the data's for the elements it names; the other elements
 * keep the data's P1–P99 rows. Both the rows and what the core would use unsent (baseRanges) are set.
 */
export function applyGrade(grade: GradeChoice | null, dataRows: readonly RangeRow[], elements: readonly El[]): Pick<DesignForm, 'gradeId' | 'ranges' | 'baseRanges'> {
  const base = dataRows.map((r, j) => {
    const g = grade?.ranges[elements[j]];
    return g ? { min: g[0], max: g[1], fixed: false } : { ...r, fixed: false };
  });
  return { gradeId: grade?.id ?? null, ranges: base.map((r) => ({ ...r })), baseRanges: base };
}

/** A form put aside (while a record is on screen) with the predictor whose data its ranges are (null: none read). */
export interface SavedForm {
  form: DesignForm;
  modelId: number | null;
}

/**
 * The form put aside when a record was opened, given back when it closes. With another predictor's details on screen
 * by then (`now`), its ranges are remade from that predictor's data rows (its chosen grade applied again): the
 * search box is never another predictor's. With no details yet (`now` null) it comes back as it was: the form is
 * not shown until they are read, and their first reading resets the ranges (DesignState.readDetails).
 */
export function formToRestore(saved: SavedForm, now: { modelId: number; dataRows: readonly RangeRow[]; grade: GradeChoice | null } | null, elements: readonly El[]): DesignForm {
  if (!now || now.modelId === saved.modelId) return saved.form;
  return { ...saved.form, ...applyGrade(now.grade, now.dataRows, elements) };
}

/** A band of ±3 HRC around the curve at 1.5, 9, 20 and 30 mm (points 0, 4, 8, 10). */
export function bandAround(target: readonly (number | null)[]): { bandMin: (number | null)[]; bandMax: (number | null)[] } {
  const at = [0, 4, 8, 10];
  return {
    bandMin: target.map((v, i) => (at.includes(i) && v !== null ? +(v - 3).toFixed(1) : null)),
    bandMax: target.map((v, i) => (at.includes(i) && v !== null ? +(v + 3).toFixed(1) : null)),
  };
}

/**
 * A grade's band (its tolerance interval for 93 % of its heats, core/jominy/dataset-stats.ts; null where too few heats
 * measured a distance) at the usual band distances (every other point up to 25 mm). A low end below 20 HRC is left
 * open: the Rockwell C scale ends at 20, so every reading on it meets such a bound.
 */
export function bandOfGrade(g: { low: (number | null)[]; high: (number | null)[] }): { bandMin: (number | null)[]; bandMax: (number | null)[] } {
  const keep = [0, 2, 4, 6, 8, 10, 12];
  return {
    bandMin: g.low.map((v, i) => (keep.includes(i) && v !== null && v >= 20 ? +v.toFixed(1) : null)),
    bandMax: g.high.map((v, i) => (keep.includes(i) && v !== null ? +v.toFixed(1) : null)),
  };
}
