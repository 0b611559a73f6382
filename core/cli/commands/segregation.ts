import { readFileSync, existsSync } from 'node:fs';
import { writeFileWhole } from '../../runtime/write-whole.js';
import { basename } from 'node:path';
import type { AppContext } from '../../app/context.js';
import { localClient } from '../../app/dispatch.js';
import { ApiError } from '../../api/errors.js';
import { UsageError, intOption, numberOption, strictInteger, strictNumber, type CliCommand } from '../command.js';
import { LAYOUT_PATTERNS, type LayoutPattern } from '../../segregation/index.js';
import type { CsvPreview } from '../../api/methods/segregation.js';
import { counted } from '../counted.js';

/**
 * BILLET on the command line: an id, a name, or `id:N` (the billet with id N, whatever billets are named). A number that
 * is one billet's id and another billet's name (plants name billets by heat or cast number) is refused, never taken as
 * the id: `readings import 3` had imported cast 3's readings into billet id 3. With ids and names crossed (id 3 named
 * "5", id 5 named "3") neither number reaches a billet, so the refusal names `id:N`.
 */
export function resolveBillet(ctx: AppContext, ref: string | undefined): number {
  if (!ref) throw new UsageError('BILLET (an id, a name, or id:N) is required');
  const forced = /^id:(.*)$/i.exec(ref);
  if (forced) return ctx.repos.billets.get(strictInteger(forced[1]!, 'BILLET id')).id;
  if (/^\d+$/.test(ref)) {
    const byName = ctx.repos.billets.findByName(ref);
    let byId: { id: number; name: string };
    try {
      byId = ctx.repos.billets.get(strictInteger(ref, 'BILLET'));
    } catch (err) {
      if (byName) return byName.id;
      throw err;
    }
    if (byName && byName.id !== byId.id) {
      throw new UsageError(`BILLET "${ref}" names two billets: id ${byId.id} is "${byId.name}", and billet id ${byName.id} is named "${ref}" — give id:${byId.id} for the first, id:${byName.id} for the second`);
    }
    return byId.id;
  }
  const b = ctx.repos.billets.findByName(ref);
  if (!b) throw new ApiError('not_found', `No billet named "${ref}" (see \`ferrolab billet list\`)`);
  return b.id;
}

const fmtC = (v: number | null) => (v === null ? '—' : v.toFixed(4));
const unitName = (u: string) => (u === 'ppm' ? 'ppm' : 'wt.%');

export const segregationCommands: CliCommand[] = [
  {
    path: ['points', 'layout'],
    usage: 'ferrolab points layout BILLET [--pattern hex85|grid|rings|diameters] [--count N] [--margin MM] [--replace] [--json]',
    summary: 'Lay out sampling points on a billet (default: 85 on a hexagonal lattice)',
    options: { pattern: { type: 'string' }, count: { type: 'string' }, margin: { type: 'string' }, replace: { type: 'boolean' } },
    async run({ positionals, values, ctx, io }) {
      const billetId = resolveBillet(ctx!, positionals[0]);
      const pattern = (values.pattern as string | undefined) ?? 'hex85';
      if (!LAYOUT_PATTERNS.includes(pattern as LayoutPattern)) throw new UsageError(`--pattern must be one of ${LAYOUT_PATTERNS.join(', ')} (got "${pattern}")`);
      const list = await localClient(ctx!)['points.layout']({
        billetId,
        pattern: pattern as LayoutPattern,
        count: intOption(values, 'count'),
        marginMm: numberOption(values, 'margin'),
        confirmReplace: Boolean(values.replace),
      }).catch((err: unknown) => {
        if (err instanceof ApiError && err.field === 'confirmReplace') throw new ApiError(err.code, `${err.message} (add --replace)`, { field: err.field, details: err.details });
        throw err;
      });
      io.result(list, (l) =>
        [`${l.points.length} points (${pattern}) on billet ${l.billetName} (Ø${l.nominalDiameterMm} mm), mm from the centre, x right, y down:`,
          ...l.points.map((p) => `  ${p.label.padEnd(5)} ${p.xMm.toFixed(2).padStart(9)} ${p.yMm.toFixed(2).padStart(9)}`)].join('\n'),
      );
    },
  },
  {
    path: ['points', 'list'],
    usage: 'ferrolab points list BILLET [--json]',
    summary: 'Sampling points with carbon mean ± sd (n)',
    async run({ positionals, ctx, io }) {
      const billetId = resolveBillet(ctx!, positionals[0]);
      const list = await localClient(ctx!)['points.list']({ billetId });
      io.result(list, (l) =>
        [`${l.billetName}${l.synthetic ? ' (synthetic)' : ''}: ${counted(l.points.length, 'point')}`,
          ...l.points.map((p) => `  ${p.label.padEnd(5)} ${p.xMm.toFixed(2).padStart(9)} ${p.yMm.toFixed(2).padStart(9)}  C ${fmtC(p.meanWtPct)}${p.sdWtPct !== null ? ` ± ${p.sdWtPct.toFixed(4)}` : ''} wt.%  n=${p.n}`)].join('\n'),
      );
    },
  },
  {
    path: ['readings', 'import'],
    usage: 'ferrolab readings import BILLET FILE.csv [--unit wt_pct|ppm] [--replicates] [--decimal-mark .|,] [--no-positions] [--append] [--dry-run] [--json]',
    summary: 'Import carbon readings from a carbon-sulfur analyzer CSV (any bad line: nothing imported; a replicate marked after the point, P05-R2, orders that point’s burns in the file (gaps allowed; appended after the stored ones; R2-P05 refused: ring numbering?); --replicates: repeated labels are replicates; --no-positions: x/y columns are not compared with the points)',
    options: { unit: { type: 'string' }, append: { type: 'boolean' }, 'dry-run': { type: 'boolean' }, replicates: { type: 'boolean' }, 'decimal-mark': { type: 'string' }, 'no-positions': { type: 'boolean' } },
    async run({ positionals, values, ctx, io }) {
      const billetId = resolveBillet(ctx!, positionals[0]);
      const file = positionals[1];
      if (!file) throw new UsageError('FILE.csv is required');
      if (!existsSync(file)) throw new ApiError('not_found', `${file}: no such file`);
      const unitArg = values.unit as string | undefined;
      if (unitArg !== undefined && unitArg !== 'wt_pct' && unitArg !== 'ppm') throw new UsageError(`--unit must be wt_pct or ppm (got "${unitArg}")`);
      const markArg = values['decimal-mark'] as string | undefined;
      if (markArg !== undefined && markArg !== '.' && markArg !== ',') throw new UsageError(`--decimal-mark must be "." or "," (got "${markArg}")`);
      const decimalMark = markArg as '.' | ',' | undefined;
      const replicates = Boolean(values.replicates);
      // a plan with y up, pixels under bare x/y, positions from the edge: not the billet's points in mm, so not read
      const mapping = values['no-positions'] ? { positions: null } : undefined;
      const api = localClient(ctx!);
      const upload = { uploadId: ctx!.uploads.saveBytes(readFileSync(file)), name: basename(file) };
      try {
        const preview = await api['readings.previewCsv']({ billetId, upload, unit: unitArg as 'wt_pct' | 'ppm' | undefined, decimalMark, replicates, mapping, mode: values.append ? 'append' : 'replace' });
        describePreview(preview, io.progress, values.append ? 'append' : 'replace');
        if (preview.errors.length) {
          throw new ApiError('invalid_argument', `${preview.fileName}: nothing imported — ${preview.errors.length} problem(s):\n${preview.errors.map((e) => `  line ${e.line}: ${e.message}`).join('\n')}`, { details: { errors: preview.errors } });
        }
        // A unit guessed from magnitudes against the header's word is the one case we will not decide alone.
        if (preview.unit.conflict && !unitArg) throw new UsageError(`${preview.unit.conflict}; confirm with --unit wt_pct or --unit ppm`);
        if (values['dry-run']) {
          io.result({ dryRun: true, ...preview }, (p) => `dry run: ${counted(p.rowCount, 'reading')} for ${counted(p.pointCount, 'point')} would be imported`);
          return;
        }
        const out = await api['readings.importCsv']({ billetId, upload, unit: preview.unit.used, decimalMark, replicates, mapping, mode: values.append ? 'append' : 'replace' });
        io.result(out, (o) => `imported ${counted(o.imported, 'reading')} for ${counted(o.points, 'point')} (${unitName(o.unit)}, delimiter "${o.delimiter === '\t' ? 'tab' : o.delimiter}"${o.decimalComma ? ', decimal commas' : ''})`);
      } finally {
        ctx!.uploads.remove(upload.uploadId);
      }
    },
  },
  {
    path: ['readings', 'set'],
    usage: 'ferrolab readings set BILLET LABEL VALUE [VALUE…] [--clear] [--json]',
    summary: "Set one point's carbon reading(s) in wt.% (replicates as several values), or --clear them",
    options: { clear: { type: 'boolean' } },
    async run({ positionals, values, ctx, io }) {
      const billetId = resolveBillet(ctx!, positionals[0]);
      const label = positionals[1];
      if (!label) throw new UsageError('LABEL is required');
      const api = localClient(ctx!);
      let p;
      if (values.clear) p = await api['readings.clear']({ billetId, label });
      else {
        const raw = positionals.slice(2);
        if (!raw.length) throw new UsageError('give at least one VALUE in wt.% (or --clear)');
        const nums = raw.map((v) => strictNumber(v, 'VALUE'));
        p = await api['readings.set']({ billetId, label, values: nums });
      }
      io.result(p, (q) => `${q.label}: ${q.n ? `${fmtC(q.meanWtPct)}${q.sdWtPct !== null ? ` ± ${q.sdWtPct.toFixed(4)}` : ''} wt.% (n=${q.n})` : 'no readings'}`);
    },
  },
  {
    path: ['readings', 'export'],
    usage: 'ferrolab readings export BILLET FILE.csv [--semicolon] [--json]',
    summary: 'Export carbon readings (one row per replicate, wt.%) to CSV',
    options: { semicolon: { type: 'boolean' } },
    async run({ positionals, values, ctx, io }) {
      const billetId = resolveBillet(ctx!, positionals[0]);
      const file = positionals[1];
      if (!file) throw new UsageError('FILE.csv is required');
      const out = await localClient(ctx!)['readings.exportCsv']({ billetId, delimiter: values.semicolon ? ';' : ',' });
      const target = writeFileWhole(file, out.csv);
      io.result({ fileName: out.fileName, rows: out.rows, file: target }, (o) => `wrote ${counted(o.rows, 'reading')} to ${o.file}`);
    },
  },
];

function describePreview(p: CsvPreview, say: (line: string) => void, mode: 'replace' | 'append' = 'replace'): void {
  say(`${p.fileName}: header on line ${p.headerLine}, delimiter "${p.delimiter === '\t' ? 'tab' : p.delimiter}"${p.decimalComma ? ', decimal commas' : ''}`);
  say(`  columns: label = "${p.mapping.label}", carbon = "${p.mapping.carbon}"${p.mapping.replicate ? `, replicate = "${p.mapping.replicate}"` : ''}`);
  if (p.positions) say(`  positions: "${p.positions.x}", "${p.positions.y}" (mm), checked against the billet's points`);
  say(`  unit: ${unitName(p.unit.used)} (${p.unit.reason})${p.unit.conflict ? ` — WARNING: ${p.unit.conflict}` : ''}`);
  // --append adds replicates after the stored ones: saying "replaces" there had told the opposite of what happens
  const stored = p.replacesPoints.length ? `; ${mode === 'append' ? 'adds replicates to the readings of' : 'replaces the readings of'} ${counted(p.replacesPoints.length, 'point')}` : '';
  say(`  ${counted(p.rowCount, 'reading')} for ${counted(p.pointCount, 'point')}${stored}`);
}
