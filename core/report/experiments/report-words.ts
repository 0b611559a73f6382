import type { ExperimentFigure, ExperimentResult, ExperimentTable, SampleLabel, TableColumn } from '../../experiments/types.js';
import { reportPhraser, reportTranslator, type ReportLanguage, type ReportTranslate } from '../report-i18n.js';
import { durationWords, type ReproductionReportInput } from './report-input.js';

/**
 * The reproduction report's words in its language (issue 15; `ferrolab reproduce … --lang en|zh|it`): the report's
 * own headings from core/report/i18n/<lang>/report.json ("reproduction"), the experiments' titles, captions,
 * labels and notes from their codes (core/experiments/words.ts), and the stored English where a result has no code.
 * The paper's numbers and ours are printed as they are. The English words are the report's words before it had a
 * language.
 */
export interface ReproductionWords {
  lang: ReportLanguage;
  tr: ReportTranslate;
  /** The report's fixed words. */
  text: { notes: string; settings: string; explainHtml: string; explainPdf: string; none: string; syntheticShort: string; fingerprint: string };
  title(): string;
  banner: string;
  budget(): string;
  resultTitle(r: ExperimentResult): string;
  note(r: ExperimentResult, i: number): string;
  tableTitle(t: ExperimentTable): string;
  caption(t: ExperimentTable | ExperimentFigure): string | null;
  column(c: TableColumn): string;
  figureTitle(f: ExperimentFigure): string;
  axis(a: ExperimentFigure['x']): string;
  series(s: ExperimentFigure['series'][number]): string;
  sample(s: SampleLabel): string;
  paper(value: string): string;
  /** The run's description rows: [label, value]. */
  runRows(): [string, string][];
  seedsTime(r: ExperimentResult): string;
}

export function reproductionWords(input: ReproductionReportInput): ReproductionWords {
  const lang = input.language ?? 'en';
  const tr = reportTranslator(lang);
  const say = reportPhraser(lang);
  const withUnit = (label: string, unit?: string) => (unit ? `${label} (${unit})` : label);
  return {
    lang,
    tr,
    text: {
      notes: tr('reproduction.notes'),
      settings: tr('reproduction.settings'),
      explainHtml: tr('reproduction.explainHtml'),
      explainPdf: tr('reproduction.explainPdf'),
      none: tr('reproduction.none'),
      syntheticShort: tr('reproduction.syntheticShort'),
      fingerprint: tr('reproduction.fingerprint'),
    },
    title: () => (input.kind === 'segregation' ? tr('reproduction.titleSegregation') : tr('reproduction.titleJominy')),
    banner: tr('reproduction.banner'),
    budget: () => (input.budget === 'quick' ? tr('reproduction.budgetQuick') : tr('reproduction.budgetFull')),
    resultTitle: (r) => say(r.titlePhrase, r.title),
    note: (r, i) => say(r.notePhrases?.[i], r.notes[i]),
    tableTitle: (t) => say(t.titlePhrase, t.title),
    caption: (x) => (x.caption ? say(x.captionPhrase, x.caption) : null),
    column: (c) => withUnit(say(c.labelPhrase, c.label), c.unit),
    figureTitle: (f) => say(f.titlePhrase, f.title),
    axis: (a) => withUnit(say(a.labelPhrase, a.label), a.unit),
    series: (s) => say(s.namePhrase, s.name),
    sample: (s) => sampleWords(tr, s),
    paper: (value) => tr('reproduction.paperValue', { value }),
    runRows: () => [
      [tr('reproduction.run'), tr('reproduction.runValue', { id: input.runId, attempts: input.attempts })],
      [tr('reproduction.data'), input.synthetic ? tr('reproduction.dataSynthetic', { names: input.inputs.join(', ') }) : input.inputs.join(', ')],
      [tr('reproduction.fingerprint'), input.fingerprint],
      [tr('reproduction.rootSeed'), String(input.seed)],
      [tr('reproduction.backend'), input.backend],
      [tr('reproduction.started'), input.startedAt],
      ...(input.dataSummary ? [[tr('reproduction.dataUsed'), input.dataSummary] as [string, string]] : []),
      [
        tr('reproduction.computeTime'),
        input.estimateS != null ? tr('reproduction.computeEstimated', { time: durationWords(input.elapsedMs), estimate: durationWords(input.estimateS * 1000) }) : durationWords(input.elapsedMs),
      ],
      [tr('reproduction.generated'), tr('reproduction.generatedValue', { at: input.generatedAt, version: input.version })],
    ],
    seedsTime: (r) => tr('reproduction.seedsTime', { seeds: Object.entries(r.seeds).map(([k, v]) => `${k} = ${v}`).join(', ') || '—', time: durationWords(r.elapsedMs) }),
  };
}

function sampleWords(tr: ReportTranslate, s: SampleLabel): string {
  switch (s) {
    case 'in-sample':
      return tr('reproduction.sample.inSample');
    case 'held-out':
      return tr('reproduction.sample.heldOut');
    case 'out-of-sample':
      return tr('reproduction.sample.outOfSample');
    case 'paper':
      return tr('reproduction.sample.paper');
    case 'descriptive':
      return tr('reproduction.sample.descriptive');
  }
}
