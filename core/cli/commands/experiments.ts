import type { AppContext } from '../../app/context.js';
import { localClient } from '../../app/dispatch.js';
import { ApiError } from '../../api/errors.js';
import type { ExperimentRunDetail, ExperimentRunInfo } from '../../api/methods/experiments.js';
import type { ReproductionJobResult } from '../../services/experiments/index.js';
import { formatCell } from '../../report/experiments/index.js';
import { UsageError, intOption, strictInteger, type CliCommand, type CliIo } from '../command.js';
import { followJob } from '../run-job.js';
import { resolveBillet } from './segregation.js';

/**
 * `ferrolab reproduce segregation|jominy` (the papers' experiments, one command each) and `ferrolab experiments
 * list|show`. A run goes through the experiments service (the contract has no report folder outside the data
 * folder); progress and Ctrl+C as every job of the CLI.
 */

const budgetOf = (values: Record<string, unknown>): 'quick' | 'full' => {
  const b = (values.budget as string | undefined) ?? 'quick';
  if (b !== 'quick' && b !== 'full') throw new UsageError(`--budget must be quick or full (got "${b}")`);
  return b;
};

function budgetWords(b: 'quick' | 'full'): string {
  return b === 'quick'
    ? 'budget quick: sizes are reduced (fewer configurations, epochs, targets, generations than the paper; the report lists each reduction)'
    : 'budget full: the paper’s settings';
}

function datasetOf(ctx: AppContext, ref: string): number {
  if (/^\d+$/.test(ref)) return strictInteger(ref, '--dataset');
  const found = ctx.services.jominy.datasets.list().find((d: { name: string }) => d.name === ref) as { id: number } | undefined;
  if (!found) throw new ApiError('not_found', `No Jominy dataset named "${ref}" (see \`ferrolab jominy datasets\`)`);
  return found.id;
}

async function runAndReport(ctx: AppContext, io: CliIo, started: { job: Parameters<typeof followJob>[2]; runId: number }, budget: 'quick' | 'full'): Promise<void> {
  io.say(`run ${started.runId}: ${budgetWords(budget)}`);
  const end = await followJob(ctx, io, started.job).catch((err: unknown) => {
    const run = ctx.services.experiments.get(started.runId);
    if (err instanceof ApiError) {
      throw new ApiError(err.code, `${err.message} — ${run.unitsDone} unit(s) are stored: continue with \`ferrolab reproduce ${run.kind} --resume ${run.id}\``);
    }
    throw err;
  });
  const r = end.result as ReproductionJobResult;
  const run = ctx.services.experiments.get(r.runId);
  io.result({ ...r, run }, () =>
    [
      `run ${r.runId} done (${budgetWords(run.budget)})`,
      `  data: ${run.inputs.names.join(', ')}${run.synthetic ? ' — SYNTHETIC DATA' : ''}; fingerprint ${run.fingerprint}`,
      `  seed ${run.seed}, backend ${run.backend}, estimated ${r.estimateS === null ? '—' : `${Math.round(r.estimateS)} s`}, took ${(run.elapsedMs / 1000).toFixed(1)} s over ${run.attempt} attempt(s)`,
      `  units computed now ${r.unitsComputed}, read back ${r.unitsReused}; experiments: ${r.experiments.join(', ') || 'none'}`,
      `  report: ${r.html}`,
      `          ${r.pdf}`,
    ].join('\n'),
  );
}

function reproduceCommand(kind: 'segregation' | 'jominy'): CliCommand {
  const inputFlag = kind === 'segregation' ? '--billet BILLET [--billet BILLET…] [--pretrained DIR [--pretrained-preprocess unit|symmetric|caffe]]' : '--dataset ID|NAME';
  return {
    path: ['reproduce', kind],
    usage: `ferrolab reproduce ${kind} ${inputFlag} [--budget quick|full] [--seed N] [--lang en|zh|it] [--resume RUN] --out DIR [--json]`,
    summary:
      kind === 'segregation'
        ? 'Run the carbon-CNN paper’s experiments on billets and write a report (HTML + PDF) with the paper’s values beside ours'
        : 'Run the JoMiner paper’s tables and figures on a Jominy dataset and write a report (HTML + PDF) with the paper’s values beside ours',
    options: { billet: { type: 'string', multiple: true }, dataset: { type: 'string' }, budget: { type: 'string' }, seed: { type: 'string' }, resume: { type: 'string' }, out: { type: 'string' }, lang: { type: 'string' }, pretrained: { type: 'string' }, 'pretrained-preprocess': { type: 'string' } },
    async run({ ctx, values, io }) {
      const out = values.out as string | undefined;
      const resume = values.resume as string | undefined;
      if (resume !== undefined) {
        const id = strictInteger(resume, '--resume');
        const run = ctx!.services.experiments.get(id);
        if (run.kind !== kind) throw new UsageError(`run ${id} is a ${run.kind} run: use \`ferrolab reproduce ${run.kind} --resume ${id}\``);
        for (const f of ['billet', 'dataset', 'budget', 'seed', 'lang', 'pretrained', 'pretrained-preprocess']) if (values[f] !== undefined) throw new UsageError(`--${f} cannot change a run that resumes (run ${id} keeps its own)`);
        io.progress(`resuming run ${id}: ${run.unitsDone} unit(s) and ${run.resultsDone} experiment(s) already stored are not computed again`);
        await runAndReport(ctx!, io, ctx!.services.experiments.resume(id, { outDir: out }), run.budget);
        return;
      }
      if (!out) throw new UsageError('--out DIR is required (the folder the report is written to)');
      const budget = budgetOf(values);
      const seed = intOption(values, 'seed', 1)!;
      // the report's language (default: the interface language chosen in Settings, else English), as `ferrolab map --lang`
      const language = values.lang as string | undefined;
      if (language !== undefined && language !== 'en' && language !== 'zh' && language !== 'it') throw new UsageError(`--lang must be en, zh or it (got "${language}")`);
      let started;
      if (kind === 'segregation') {
        if (values.dataset !== undefined) throw new UsageError('--dataset is for `reproduce jominy`; a segregation run takes --billet');
        const raw = values.billet as string[] | undefined;
        if (!raw?.length) throw new UsageError('--billet BILLET is required (repeat it for several billets)');
        const billetIds = raw.map((b) => resolveBillet(ctx!, b));
        const pre = values['pretrained-preprocess'] as string | undefined;
        if (pre !== undefined && !['unit', 'symmetric', 'caffe'].includes(pre)) throw new UsageError(`--pretrained-preprocess must be unit, symmetric or caffe, got "${pre}"`);
        if (pre !== undefined && values.pretrained === undefined) throw new UsageError('--pretrained-preprocess needs --pretrained DIR');
        started = ctx!.services.experiments.start({ kind, billetIds, budget, seed, pretrainedDir: values.pretrained as string | undefined, pretrainedPreprocess: pre as 'unit' | 'symmetric' | 'caffe' | undefined, outDir: out, language });
      } else {
        if (values.billet !== undefined) throw new UsageError('--billet is for `reproduce segregation`; a Jominy run takes --dataset');
        const ref = values.dataset as string | undefined;
        if (!ref) throw new UsageError('--dataset ID|NAME is required');
        started = ctx!.services.experiments.start({ kind, datasetId: datasetOf(ctx!, ref), budget, seed, outDir: out, language });
      }
      await runAndReport(ctx!, io, started, budget);
    },
  };
}

function runLine(r: ExperimentRunInfo): string {
  const when = r.state === 'interrupted' && r.interruptedAt ? ` (found ${r.interruptedAt})` : '';
  return `${String(r.id).padStart(4)}  ${r.kind.padEnd(11)} ${r.budget.padEnd(5)} ${r.state.padEnd(11)}${when} seed ${r.seed}  units ${r.unitsDone}  results ${r.resultsDone}/${r.experiments.length}  ${r.inputs.names.join(', ')}${r.synthetic ? ' [SYNTHETIC]' : ''}`;
}

function detailText(d: ExperimentRunDetail): string {
  const lines = [
    runLine(d),
    `  ${budgetWords(d.budget)}`,
    `  fingerprint ${d.fingerprint ?? '—'}; backend ${d.backend ?? '—'}; estimate ${d.estimateS === null ? '—' : `${Math.round(d.estimateS)} s`}; ${(d.elapsedMs / 1000).toFixed(1)} s over ${d.attempt} attempt(s)`,
    `  report: ${d.reportDir ?? '—'}`,
  ];
  if (d.error) lines.push(`  error: ${d.error}`);
  for (const r of d.results) {
    lines.push('', `${r.title} (${r.paperRef})`);
    for (const t of r.tables) {
      lines.push(`  ${t.title} [${t.sample}]`);
      lines.push(`    ${t.columns.map((c) => `${c.label}${c.unit ? ` (${c.unit})` : ''}`).join(' | ')}`);
      for (const row of t.rows) {
        lines.push(
          `    ${t.columns
            .map((c) => {
              const m = formatCell(row.cells[c.key], c);
              const p = row.paper?.[c.key];
              return p === undefined ? m : `${m} (paper ${formatCell(p, c)})`;
            })
            .join(' | ')}`,
        );
      }
    }
    for (const n of r.notes) lines.push(`  note: ${n}`);
  }
  return lines.join('\n');
}

export const experimentCommands: CliCommand[] = [
  reproduceCommand('segregation'),
  reproduceCommand('jominy'),
  {
    path: ['experiments', 'list'],
    usage: 'ferrolab experiments list [--json]',
    summary: 'Reproduction runs, newest first (state, units stored, results)',
    async run({ ctx, io }) {
      const runs = await localClient(ctx!)['experiments.list']({});
      io.result(runs, (l) => (l.length ? l.map(runLine).join('\n') : 'no reproduction runs yet (ferrolab reproduce segregation|jominy …)'));
    },
  },
  {
    path: ['experiments', 'show'],
    usage: 'ferrolab experiments show RUN [--json]',
    summary: 'One reproduction run: its tables with the paper’s values beside ours, notes and report folder',
    async run({ ctx, io, positionals }) {
      if (!positionals[0]) throw new UsageError('RUN (a run id) is required');
      const d = await localClient(ctx!)['experiments.get']({ id: strictInteger(positionals[0], 'RUN') });
      io.result(d, detailText);
    },
  },
];
