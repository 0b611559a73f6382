import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { AppContext } from '../../app/context.js';
import { localClient } from '../../app/dispatch.js';
import type { DatasetCoverage, GradeStats, JominyDataset } from '../../api/methods/jominy.js';
import { ELEMENTS } from '../../jominy/elements.js';
import { UsageError, type CliCommand } from '../command.js';
import { elementGapsText } from './jominy-gaps-text.js';
import { english } from '../../runtime/english.js';
import { phrase } from '../../api/phrase.js';
import { leftOutPhrase } from '../../jominy/below-scale.js';

/** `ferrolab jominy datasets list|import|show|grades`: Jominy datasets as they came, over the jominy.datasets.* contract. */

/** `--distance-unit`, `--missing`, `--decimal-mark` and `--below-scale` as the import takes them; shared with `jominy train FILE`. */
export function importFlags(values: Record<string, unknown>): { distanceUnit?: 'mm' | 'sixteenths'; missing?: string[]; decimalMark?: '.' | ','; belowScale?: 'refuse' | 'empty' } {
  const unit = values['distance-unit'];
  if (unit !== undefined && unit !== 'mm' && unit !== 'sixteenths') throw new UsageError(`--distance-unit must be mm or sixteenths (got "${String(unit)}")`);
  const mark = values['decimal-mark'];
  if (mark !== undefined && mark !== '.' && mark !== ',') throw new UsageError(`--decimal-mark must be "." or "," (got "${String(mark)}")`);
  const missing = typeof values.missing === 'string' ? values.missing.split(',').map((t) => t.trim()).filter(Boolean) : undefined;
  const below = values['below-scale'];
  if (below !== undefined && below !== 'refuse' && below !== 'empty') throw new UsageError(`--below-scale must be refuse or empty (got "${String(below)}")`);
  return { distanceUnit: unit as 'mm' | 'sixteenths' | undefined, missing, decimalMark: mark as '.' | ',' | undefined, belowScale: below as 'refuse' | 'empty' | undefined };
}
export const IMPORT_OPTIONS = { 'distance-unit': { type: 'string' }, missing: { type: 'string' }, 'decimal-mark': { type: 'string' }, 'below-scale': { type: 'string' } } as const;

export function importJominyCsv(ctx: AppContext, file: string, opts: { name?: string; distanceUnit?: 'mm' | 'sixteenths'; missing?: string[]; decimalMark?: '.' | ','; belowScale?: 'refuse' | 'empty' } = {}) {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
  const uploadId = ctx.uploads.saveBytes(bytes);
  return localClient(ctx)['jominy.datasets.import']({ upload: { uploadId, name: basename(file) }, name: opts.name, distanceUnit: opts.distanceUnit, missing: opts.missing, decimalMark: opts.decimalMark, belowScale: opts.belowScale });
}

const f1 = (v: number | null | undefined) => (v === null || v === undefined ? '–' : v.toFixed(1));
const pad = (s: string | number, n: number) => String(s).padStart(n);

/** "150 heats (160 rows)": heats by heat id (or grade and chemistry), the rows beside them where they differ. */
export const heatsText = (d: Pick<JominyDataset, 'heats' | 'sampleCount'>): string => `${d.heats} heats${d.heats !== d.sampleCount ? ` (${d.sampleCount} rows)` : ''}`;

export function datasetLine(d: JominyDataset): string {
  const l = d.layout;
  return `${pad(d.id, 4)}  ${d.name}${d.synthetic ? ' (SYNTHETIC)' : ''}: ${heatsText(d)}; ${l.distancesMm.length} distances ${l.labels[0]}…${l.labels[l.labels.length - 1]} (${l.unit === 'sixteenths' ? 'sixteenths of an inch' : 'mm'}); elements ${l.elements.join(' ')}${d.warnings.length ? `; ${d.warnings.length} warnings` : ''}`;
}

/** Heats per distance × element, then per grade × distance (the dataset page's coverage, as text). */
export function coverageText(c: DatasetCoverage): string {
  const els = ELEMENTS.filter((el) => c.layout.elements.includes(el));
  const w = Math.max(5, String(c.heats).length + 1);
  const mm = (d: number) => (c.layout.unit === 'sixteenths' ? ` (${+d.toFixed(2)} mm)` : '');
  const lines = [
    `coverage: heats that measured each distance and analysed each element (of ${c.heats}${c.rows !== c.heats ? ` heats, ${c.rows} rows` : ''}; elements not in the dataset: ${ELEMENTS.filter((el) => !els.includes(el)).join(' ') || 'none'})`,
    `${'distance'.padEnd(18)}${pad('heats', w)} ${els.map((el) => pad(el, w)).join('')}`,
    ...c.layout.labels.map((lab, i) => `${(lab + mm(c.layout.distancesMm[i])).padEnd(18)}${pad(c.perDistance[i], w)} ${els.map((el) => pad(c.cells[i][ELEMENTS.indexOf(el)], w)).join('')}${leftOutAt(c, i)}`),
    `heats per grade and distance:`,
    `${'grade'.padEnd(28)}${pad('heats', 6)} ${c.layout.labels.map((l) => pad(l, 5)).join('')}`,
    ...c.grades.map((g) => `${g.grade.slice(0, 27).padEnd(28)}${pad(g.n, 6)} ${g.perDistance.map((n) => pad(n, 5)).join('')}`),
  ];
  // heats left out below 20 HRC (--below-scale empty): a count not recorded is said so, never shown as 0
  if (c.belowScaleLeftOut === null) lines.push(english(phrase('jominy.belowScale.notRecorded', { min: 20 })));
  for (const b of c.biasedHigh) if (b.biasedHigh) lines.push(`WARNING: ${english(b.phrase)}`);
  lines.push(...elementGapsText(c.elementGaps));
  if (c.convertedHeats) lines.push(`${c.convertedHeats} heats have readings converted from HV (${c.hvCitation})`);
  if (c.flatHeats) lines.push(`${c.flatHeats} heats have two flats per distance (their mean is the hardness; both are kept)`);
  return lines.join('\n');
}

/** Per distance with heats left out below 20 HRC on import, their count, then the biased-high warnings. */
function belowScaleText(c: DatasetCoverage): string[] {
  const counts = c.layout.labels.flatMap((label, i) => ((c.belowScaleLeftOut?.[i] ?? 0) > 0 ? [`${label}: ${english(leftOutPhrase(c.belowScaleLeftOut![i]))}`] : []));
  return [...counts, ...c.biasedHigh.filter((b) => b.biasedHigh).map((b) => `WARNING: ${english(b.phrase)}`)];
}

/** Beside a distance's heats: "  3 heats read below 20 HRC here, left out" where any were. */
function leftOutAt(c: DatasetCoverage, i: number): string {
  const n = c.belowScaleLeftOut?.[i] ?? 0;
  return n > 0 ? `  ${english(leftOutPhrase(n))}` : '';
}

/** A band's low end: below 20 HRC the Rockwell C scale ends, so it reads "≤20" (any reading on the scale is above it). */
const bandLow = (v: number | null | undefined) => (v !== null && v !== undefined && v < 20 ? '≤20' : f1(v));

/**
 * What a grade's band is and what it rests on: a normal tolerance interval for its heats at each distance (stated
 * content and confidence, k per distance in the table), none from fewer heats than its minimum. A server before
 * 2026-12-01 sent sample percentiles (no `band`): said so.
 */
export function gradeBandLine(g: Pick<GradeStats, 'band' | 'bandK'>): string {
  if (!g.band) return '  band: the 3.5–96.5 % percentiles of the heats (stored by an older Ferrolab): from a few heats nearly their min and max, not 93 % of the grade';
  const none = g.bandK?.every((k) => k === null) ? `; none here: fewer than ${g.band.minHeats} heats at every distance` : '';
  return `  band: mean ± k·sd, a normal tolerance interval covering ≥ ${+(100 * g.band.content).toFixed(1)} % of the grade's heats with ${+(100 * g.band.confidence).toFixed(1)} % confidence, k for the heats at each distance; none (–) where fewer than ${g.band.minHeats} heats measured it${none}`;
}

export function gradeStatsText(labels: string[], stats: GradeStats[]): string {
  return stats
    .map((g) => [
      `grade ${g.grade}: ${g.n} heats${g.rows !== undefined && g.rows !== g.n ? ` (${g.rows} rows)` : ''}`,
      gradeBandLine(g),
      `  ${'distance'.padEnd(10)}${pad('heats', 6)}${pad('mean', 7)}${pad('sd', 6)}${pad('k', 6)}${pad('band lo', 8)}${pad('band hi', 8)}`,
      ...labels.map((l, i) => `  ${l.padEnd(10)}${pad(g.heats[i], 6)}${pad(f1(g.mean[i]), 7)}${pad(f1(g.sd[i]), 6)}${pad(g.bandK?.[i] == null ? '–' : g.bandK[i]!.toFixed(2), 6)}${pad(bandLow(g.low[i]), 8)}${pad(f1(g.high[i]), 8)}`),
      `  chemistry (wt.%): ${Object.entries(g.chemistry).map(([el, s]) => `${el} ${s!.mean === null ? '–' : `${+s!.mean.toPrecision(3)} (${s!.min}–${s!.max})`}${s!.n < g.n ? ` [${s!.n} of ${g.n} heats]` : ''}`).join(', ')}`,
      // the grade's own heats left out below 20 HRC, where their share biases its band (per grade: H-bands are)
      ...(g.belowScale === null ? [`  ${english(phrase('jominy.belowScale.notRecorded', { min: 20 }))}`] : g.belowScale.notes.map((n) => `  WARNING: ${english(n)}`)),
    ].join('\n'))
    .join('\n');
}

function datasetId(positionals: string[]): number {
  const id = Number(positionals[0]);
  if (!positionals[0] || !Number.isInteger(id) || id < 1) throw new UsageError('give the dataset id (ferrolab jominy datasets list)');
  return id;
}

export const jominyDatasetCommands: CliCommand[] = [
  {
    path: ['jominy', 'datasets', 'list'],
    usage: 'ferrolab jominy datasets list [--json]',
    summary: 'Jominy datasets: heats, distances and their unit, elements',
    async run({ ctx, io }) {
      const list = await localClient(ctx!)['jominy.datasets.list']({});
      io.result(list, (l) => (l.length ? l.map(datasetLine).join('\n') : 'no Jominy datasets yet'));
    },
  },
  {
    path: ['jominy', 'datasets', 'import'],
    usage: 'ferrolab jominy datasets import FILE.csv [--name NAME] [--distance-unit mm|sixteenths] [--missing NA,-] [--decimal-mark .|,] [--below-scale refuse|empty] [--json]',
    summary: 'Import a Jominy CSV as it comes (element subset, own distances, partial curves, two flats, HV); a bad cell refuses the file by line and column',
    options: { name: { type: 'string' }, ...IMPORT_OPTIONS },
    async run({ positionals, values, ctx, io }) {
      if (!positionals[0]) throw new UsageError('give the CSV file');
      const imported = await importJominyCsv(ctx!, positionals[0], { name: values.name as string | undefined, ...importFlags(values) });
      // The gaps per element, as the preview counts them: what a model of this dataset will and will not take.
      const coverage = await localClient(ctx!)['jominy.datasets.coverage']({ id: imported.id });
      const ds = { ...imported, elementGaps: coverage.elementGaps };
      io.result(ds, (d) => [datasetLine(d), ...elementGapsText(d.elementGaps), ...belowScaleText(coverage), ...d.warnings.slice(0, 20).map((w) => `  line ${w.line}${w.column ? ` (${w.column})` : ''}: ${w.message}`), ...(d.warnings.length > 20 ? [`  … and ${d.warnings.length - 20} more warnings`] : [])].join('\n'));
    },
  },
  {
    path: ['jominy', 'datasets', 'show'],
    usage: 'ferrolab jominy datasets show ID [--grade NAME] [--json]',
    summary: 'A dataset: its distances and elements, coverage (heats per distance × element, per grade), per-grade statistics with --grade',
    options: { grade: { type: 'string' } },
    async run({ positionals, values, ctx, io }) {
      const api = localClient(ctx!);
      const id = datasetId(positionals);
      const ds = await api['jominy.datasets.get']({ id });
      const coverage = await api['jominy.datasets.coverage']({ id });
      const grade = values.grade as string | undefined;
      const stats = grade === undefined ? null : await api['jominy.datasets.grades']({ id, grade });
      io.result({ dataset: ds, coverage, grade: stats }, (r) => [datasetLine(r.dataset), coverageText(r.coverage), ...(r.grade ? [gradeStatsText(r.dataset.layout.labels, r.grade)] : [])].join('\n'));
    },
  },
  {
    path: ['jominy', 'datasets', 'grades'],
    usage: 'ferrolab jominy datasets grades ID [--grade NAME] [--json]',
    summary: 'Per-grade statistics of a dataset: heats, mean, sd and the band per distance (a normal tolerance interval for 93 % of the heats with 95 % confidence; none under 10 heats), chemistry per element',
    options: { grade: { type: 'string' } },
    async run({ positionals, values, ctx, io }) {
      const api = localClient(ctx!);
      const id = datasetId(positionals);
      const ds = await api['jominy.datasets.get']({ id });
      const stats = await api['jominy.datasets.grades']({ id, grade: values.grade as string | undefined });
      io.result(stats, (s) => gradeStatsText(ds.layout.labels, s));
    },
  },
];
