import { readFileSync, readdirSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { localClient } from '../../app/dispatch.js';
import { followJob } from '../run-job.js';
import { ApiError } from '../../api/errors.js';
import { UsageError, intOption, numberOption, requireInt, requireString, type CliCommand } from '../command.js';
import { resolveBillet } from './segregation.js';
import { generateSyntheticBillet, syntheticReadings, writeSyntheticBillet, readSyntheticSection, SYNTHETIC_VARIANTS, SYNTHETIC_LABEL, DEFAULT_SYNTH_SIZE_PX, type SyntheticVariant } from '../../synth/index.js';
import { layoutPoints } from '../../segregation/layouts.js';
import { encodeGreyPng, MAX_ATTACH_FILES } from '../../imaging/index.js';
import { SIGNIFICANT_BITS, type AttachReport } from '../../api/methods/images.js';
import { NOMINAL_DIAMETER_MAX_MM } from '../../api/common.js';
import { english } from '../../runtime/english.js';
import { writeFolderWhole } from '../../runtime/write-folder-whole.js';

const f4 = (v: number) => v.toFixed(4);

/**
 * The billet's nominal diameter for `billet import`: --diameter, or a synthetic section's own (its label or truth.json).
 * Never assumed: the section's mm per px, every patch's physical size, point positions and maps follow from it, and a
 * plausible default puts a 150 mm billet 4× off scale.
 */
function importDiameter(values: Record<string, unknown>, synth: { diameterMm: number | null } | null, file: string): number {
  const given = numberOption(values, 'diameter');
  if (given !== undefined && !(given > 0 && given <= NOMINAL_DIAMETER_MAX_MM)) throw new UsageError(`--diameter must be in (0, ${NOMINAL_DIAMETER_MAX_MM}] mm (got "${String(values.diameter)}")`);
  const own = synth?.diameterMm ?? null;
  if (given !== undefined && own !== null && given !== own) {
    throw new UsageError(`--diameter ${given} mm contradicts the synthetic section's own ${own} mm (its label): its true carbon field is drawn at ${own} mm; leave --diameter out`);
  }
  const d = given ?? own;
  if (d === null) {
    throw new UsageError(
      `--diameter MM is required: the billet's nominal diameter in mm, which Ferrolab does not assume — the section's mm per pixel, every patch's physical size and the maps follow from it` +
        (synth ? ` (the synthetic label of "${basename(file)}" does not say its diameter, and no truth.json of its seed lies beside it)` : ''),
    );
  }
  return d;
}


/** --significant-bits (billet import, patches attach): a whole number of bits, 9–15, or undefined. */
function significantBitsOption(values: Record<string, unknown>): number | undefined {
  const text = values['significant-bits'] as string | undefined;
  if (text === undefined) return undefined;
  const bits = Number(text);
  if (!(/^\d+$/.test(text) && bits >= SIGNIFICANT_BITS.min && bits <= SIGNIFICANT_BITS.max)) {
    throw new UsageError(`--significant-bits must be a whole number of bits from ${SIGNIFICANT_BITS.min} to ${SIGNIFICANT_BITS.max} (got "${text}")`);
  }
  return bits;
}
export const imagingCommands: CliCommand[] = [
  {
    path: ['synth', 'billet'],
    usage: 'ferrolab synth billet --seed S [--variant base|stirring|low-carbon] [--size PX] [--readings-seed N] --out DIR [--json]',
    summary: 'Generate a SYNTHETIC etched 600 mm billet section: section.png, readings.csv (85 points), truth.json',
    noContext: true,
    options: { seed: { type: 'string' }, variant: { type: 'string' }, size: { type: 'string' }, 'readings-seed': { type: 'string' }, out: { type: 'string' } },
    async run({ values, io }) {
      const seed = requireInt(values, 'seed');
      if (seed < 0 || seed > 2 ** 32 - 1) throw new UsageError(`--seed must be in 0..4294967295 (got "${String(values.seed)}")`);
      const variant = (values.variant as string | undefined) ?? 'base';
      if (!SYNTHETIC_VARIANTS.includes(variant as SyntheticVariant)) throw new UsageError(`--variant must be one of ${SYNTHETIC_VARIANTS.join(', ')} (got "${variant}")`);
      const sizePx = intOption(values, 'size', DEFAULT_SYNTH_SIZE_PX)!;
      if (sizePx < 200 || sizePx > 20000) throw new UsageError(`--size must be in 200..20000 px (got "${String(values.size)}")`);
      const readingsSeed = intOption(values, 'readings-seed', (seed ^ 0x9e3779b9) >>> 0)!;
      const out = resolve(requireString(values, 'out'));
      const t0 = Date.now();
      const billet = generateSyntheticBillet({ seed, variant: variant as SyntheticVariant, sizePx });
      const points = layoutPoints({ pattern: 'hex85', diameterMm: billet.diameterMm });
      const readings = syntheticReadings(billet, points, readingsSeed);
      const files = await writeSyntheticBillet(billet, readings, readingsSeed, out);
      const s = billet.stats;
      io.result(
        { synthetic: true, seed, variant, sizePx, readingsSeed, files, stats: s, mmPerPx: billet.mmPerPx, points: readings.length, seconds: (Date.now() - t0) / 1000 },
        () =>
          [
            `SYNTHETIC billet (seed ${seed}, ${variant}, ${sizePx}×${sizePx} px, ${billet.mmPerPx.toFixed(4)} mm/px) → ${out}`,
            `  carbon field: mean ${f4(s.meanWtPct)}  std ${f4(s.stdWtPct)}  min ${f4(s.minWtPct)}  max ${f4(s.maxWtPct)} wt.%  centre index ${s.centreIndex.toFixed(3)}  white band ${s.whiteBandMinIndex.toFixed(3)}`,
            `  ${readings.length} readings (analyzer noise seed ${readingsSeed}); files: section.png, readings.csv, truth.json`,
          ].join('\n'),
      );
    },
  },
  {
    path: ['billet', 'import'],
    usage: 'ferrolab billet import IMAGE --name NAME --diameter MM [--significant-bits 9..15] [--json]',
    summary: 'Create a billet from an etched section image (PNG/JPEG/TIFF) of the stated diameter (a synthetic section: its own): tile pyramid, rim detection, calibration',
    options: { name: { type: 'string' }, diameter: { type: 'string' }, 'significant-bits': { type: 'string' } },
    async run({ positionals, values, ctx, io }) {
      const file = positionals[0];
      if (!file) throw new UsageError('IMAGE is required');
      const path = resolve(file);
      if (!existsSync(path) || !statSync(path).isFile()) throw new ApiError('not_found', `Cannot import "${file}": no such file`);
      const name = requireString(values, 'name');
      // A 12-bit camera's values in a 16-bit file: declared by the lab, never guessed (the refusal says which to declare).
      const significantBits = significantBitsOption(values);
      const synth = await readSyntheticSection(path);
      const synthetic = synth !== null;
      const diameter = importDiameter(values, synth, path);
      let last = '';
      // Billet and image in one transaction after the files are in place: a kill or a failure anywhere leaves
      // no billet behind, and running the same command again succeeds.
      const { billet, image: img } = await ctx!.services.sections.createBilletWithSection(
        {
          billet: { name, nominalDiameterMm: diameter, synthetic, castingNotes: synthetic ? `${SYNTHETIC_LABEL} (imported from ${basename(path)})` : null },
          file: path,
          originalName: basename(path),
          significantBits,
        },
        {
          onProgress: (_f, said) => {
            const message = typeof said === 'string' ? said : english(said);
            if (message === last) return;
            last = message;
            if (!io.json) io.progress(`  ${message}`);
          },
        },
      );
      // The rim calibration contradicted by the file's own resolution tag: imported (the rim can be corrected), but said.
      const scaleWarning = img.scaleWarning ? english(img.scaleWarning) : null;
      // An automatic rim fit too poor to calibrate by (an oblique photo's ellipse): imported without a rim, and said.
      const rimRefused = img.rimRefused ? english(img.rimRefused) : null;
      io.result({ billetId: billet.id, name, synthetic, image: img, scaleWarning, rimRefused }, (r) =>
        [
          `billet ${r.billetId} "${name}"${synthetic ? ' (synthetic)' : ''}: ${r.image!.width}×${r.image!.height} px ${r.image!.format}${r.image!.bitDepth ? ` ${r.image!.bitDepth}-bit` : ''}${r.image!.significantBits ? ` (${r.image!.significantBits} significant bits, scaled ×${2 ** (16 - r.image!.significantBits)})` : ''}`,
          r.image!.circle
            ? `  rim (${r.image!.circleSource}): centre (${r.image!.circle.cx.toFixed(1)}, ${r.image!.circle.cy.toFixed(1)}) px, radius ${r.image!.circle.r.toFixed(1)} px → ${r.image!.mmPerPx!.toFixed(5)} mm/px at Ø${r.image!.nominalDiameterMm} mm`
            : r.rimRefused
              ? `  WARNING: ${r.rimRefused}`
              : '  rim not found automatically: set it in the Annotate view (drag the circle or click three rim points)',
          ...(r.scaleWarning ? [`  WARNING: ${r.scaleWarning}`] : []),
        ].join('\n'),
      );
    },
  },
  {
    path: ['patches'],
    usage: 'ferrolab patches BILLET --out DIR [--clahe] [--json]',
    summary: "Every sampling point's patch (PNG; an attached patch image wins over cutting from the section) with a quality table (RMS, GLCM contrast, entropy; before/after CLAHE)",
    options: { out: { type: 'string' }, clahe: { type: 'boolean' } },
    async run({ positionals, values, ctx, io }) {
      const billetId = resolveBillet(ctx!, positionals[0]);
      const out = resolve(requireString(values, 'out'));
      const sections = ctx!.services.sections;
      if (!(await sections.image(billetId)) && !sections.attachedList(billetId).length) {
        throw new ApiError('failed_precondition', `Billet ${billetId} has no section image and no attached patches: \`ferrolab billet import\` a section or \`ferrolab patches attach ${billetId} DIR\` first`);
      }
      const src = sections.patchSource(billetId);
      const { image: img, calibration: cal, settings, attached } = src;
      const pts = sections.pointPositions(billetId);
      if (!pts.length) throw new ApiError('failed_precondition', `Billet ${billetId} has no sampling points: \`ferrolab points layout ${billetId}\` first`);
      const useClahe = Boolean(values.clahe);
      const t0 = Date.now();
      const { patches, missing, sourceSizePx } = await sections.pointPatches(src, pts, { clahe: useClahe });
      // The set is written whole or not at all (write-folder-whole.ts); it replaces only an earlier patch set, never a
      // folder of other files the user keeps there.
      if (existsSync(out) && !isPatchSet(out)) throw new ApiError('failed_precondition', `--out ${out} holds files that are not a patch set: choose a new or empty folder (an earlier \`ferrolab patches\` set there is replaced)`);
      const rows: string[] = ['label,x_mm,y_mm,outside_fraction,rms_raw,glcm_raw,entropy_raw,rms_clahe,glcm_clahe,entropy_clahe,low_etch_contrast,source'];
      const table: unknown[] = [];
      const byLabel = new Map(pts.map((p) => [p.label, p]));
      await writeFolderWhole(out, async (dir) => {
        for (let i = 0; i < patches.length; i++) {
          const p = patches[i], pt = byLabel.get(p.raw.label)!;
          writeFileSync(join(dir, `${p.raw.label}.png`), await encodeGreyPng({ width: p.raw.size, height: p.raw.size, data: p.raw.data }));
          if (p.clahe) writeFileSync(join(dir, `${p.raw.label}-clahe.png`), await encodeGreyPng({ width: p.raw.size, height: p.raw.size, data: p.clahe }));
          const a = p.qualityRaw.figures, b = p.qualityClahe?.figures;
          const low = p.qualityRaw.lowEtchContrast;
          rows.push([p.raw.label, pt.xMm.toFixed(2), pt.yMm.toFixed(2), p.raw.outsideFraction.toFixed(3), f4(a.rmsContrast), f4(a.glcmContrast), f4(a.entropyBits), b ? f4(b.rmsContrast) : '', b ? f4(b.glcmContrast) : '', b ? f4(b.entropyBits) : '', low ? 'yes' : 'no', p.source].join(','));
          table.push({ label: p.raw.label, xMm: pt.xMm, yMm: pt.yMm, source: p.source, attachedName: p.attachedName, qualityRaw: p.qualityRaw, qualityClahe: p.qualityClahe });
        }
        writeFileSync(join(dir, 'quality.csv'), rows.join('\n') + '\n');
        writeFileSync(
          join(dir, 'settings.json'),
          JSON.stringify({ billetId, imageId: img?.id ?? null, contentHash: img?.contentHash ?? null, mmPerPx: cal?.mmPerPx ?? null, sourceSizePx, clahe: useClahe, settings, attached: attached.map((a) => ({ label: a.label, contentHash: a.contentHash, originalName: a.originalName })), missing }, null, 2),
        );
      });
      const mean = (k: 'rmsContrast' | 'glcmContrast' | 'entropyBits', after: boolean) => {
        const v = patches.map((p) => (after ? p.qualityClahe?.figures[k] : p.qualityRaw.figures[k])).filter((x): x is number => x !== undefined);
        return v.length ? v.reduce((s, x) => s + x, 0) / v.length : null;
      };
      const summary = {
        billetId,
        out,
        count: patches.length,
        attached: patches.filter((p) => p.source === 'attached').length,
        missing,
        sourceSizePx,
        outputSizePx: settings.patch.outputSizePx,
        clahe: useClahe,
        lowEtchContrast: patches.filter((p) => p.qualityRaw.lowEtchContrast).map((p) => p.raw.label),
        meanRaw: { rmsContrast: mean('rmsContrast', false), glcmContrast: mean('glcmContrast', false), entropyBits: mean('entropyBits', false) },
        meanClahe: useClahe ? { rmsContrast: mean('rmsContrast', true), glcmContrast: mean('glcmContrast', true), entropyBits: mean('entropyBits', true) } : null,
        seconds: (Date.now() - t0) / 1000,
        patches: table,
      };
      const fmt = (m: { rmsContrast: number | null; glcmContrast: number | null; entropyBits: number | null }) => `RMS ${m.rmsContrast?.toFixed(3)}  GLCM ${m.glcmContrast?.toFixed(2)}  entropy ${m.entropyBits?.toFixed(2)} bits`;
      io.result(summary, (s) =>
        [
          `${s.count} patches (${s.sourceSizePx !== null ? `${s.sourceSizePx} px cut` : 'no section'}${s.attached ? `, ${s.attached} from attached images` : ''} → ${s.outputSizePx} px) → ${out}`,
          ...(s.missing.length ? [`  NO PATCH for ${s.missing.length} point${s.missing.length === 1 ? '' : 's'} (no section to cut from, no attached image): ${s.missing.join(', ')}`] : []),
          `  raw:   ${fmt(s.meanRaw)}`,
          ...(s.meanClahe ? [`  CLAHE: ${fmt(s.meanClahe)}`] : []),
          `  low etch contrast: ${s.lowEtchContrast.length ? s.lowEtchContrast.join(', ') : 'none'}`,
          `  quality table: quality.csv`,
        ].join('\n'),
      );
    },
  },
  {
    path: ['patches', 'attach'],
    usage: 'ferrolab patches attach BILLET DIR [--mm-per-px X [--ignore-resolution-tag]] [--significant-bits 9..15] [--json]',
    summary:
      'Attach separately captured patch images from a folder; file names are point labels (P01.png, p1.tif, B12-P01.jpg). One bad file refuses the folder. ' +
      '--mm-per-px gives the images\' scale (without it, models with a physical patch size refuse them); --significant-bits the bits of a 16-bit camera that stores fewer (12-bit values unscaled), which are then scaled to the full range; ' +
      '--ignore-resolution-tag keeps --mm-per-px over a resolution tag that contradicts it (a camera program writing its sensor pitch), said in `patches list`',
    options: { 'mm-per-px': { type: 'string' }, 'significant-bits': { type: 'string' }, 'ignore-resolution-tag': { type: 'boolean' } },
    async run({ positionals, ctx, io, values }) {
      const billetId = resolveBillet(ctx!, positionals[0]);
      const dirArg = positionals[1];
      if (!dirArg) throw new UsageError('DIR is required');
      const dir = resolve(dirArg);
      if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ApiError('not_found', `Cannot attach from "${dirArg}": no such folder`);
      const names = readdirSync(dir).filter((n) => statSync(join(dir, n)).isFile()).sort();
      if (!names.length) throw new ApiError('invalid_argument', `"${dirArg}" has no files`);
      if (names.length > MAX_ATTACH_FILES) throw new ApiError('invalid_argument', `"${dirArg}" has ${names.length} files; attach at most ${MAX_ATTACH_FILES} at once`);
      const api = localClient(ctx!);
      const files = names.map((name) => ({ uploadId: ctx!.uploads.saveBytes(readFileSync(join(dir, name))), name }));
      const mmPerPx = numberOption(values, 'mm-per-px');
      const significantBits = significantBitsOption(values);
      const trustGivenScale = Boolean(values['ignore-resolution-tag']);
      if (trustGivenScale && mmPerPx === undefined) throw new UsageError('--ignore-resolution-tag keeps the scale given by --mm-per-px: give --mm-per-px too');
      const job = await api['patches.attach']({ billetId, files, mmPerPx: mmPerPx ?? null, significantBits, trustGivenScale });
      let done;
      try {
        done = await followJob(ctx!, io, job);
      } catch (err) {
        // A refused folder: the job's detail is the per-file report; list it and return it with the error.
        const report = ctx!.jobs.get(job.id).detail as AttachReport | undefined;
        if (!(err instanceof ApiError) || !report?.errors?.length) throw err;
        if (!io.json) for (const e of report.errors) io.progress(`  ${e.file}: ${e.message}`);
        throw new ApiError(err.code, err.message, { details: report });
      }
      const r = done.result as AttachReport;
      io.result(r, (v) =>
        [
          `attached ${v.matched.length} patch image${v.matched.length === 1 ? '' : 's'} to billet ${billetId}: ${v.matched.map((m) => m.label).join(', ')}`,
          ...(v.replaced.length ? [`  replaced the earlier patch of ${v.replaced.join(', ')}`] : []),
          ...(v.skipped.length ? [`  ignored: ${v.skipped.join(', ')}`] : []),
          v.mmPerPx !== null
            ? `  scale: ${v.mmPerPx} mm/px`
            : '  scale: not given (--mm-per-px): models with a physical patch size will refuse these images until they are attached again with it',
        ].join('\n'),
      );
    },
  },
  {
    path: ['patches', 'list'],
    usage: 'ferrolab patches list BILLET [--json]',
    summary: 'Patch images attached to the points of a billet',
    async run({ positionals, ctx, io }) {
      const billetId = resolveBillet(ctx!, positionals[0]);
      const list = await localClient(ctx!)['patches.attachedList']({ billetId });
      io.result(list, (l) =>
        l.length ? l.map((a) => `${a.label.padEnd(6)} ${a.originalName}  ${a.width}×${a.height} px  ${a.mmPerPx !== null ? `${a.mmPerPx} mm/px${a.scaleOverTag ? ' (given, kept over the resolution tag)' : ''}` : 'scale unknown'}${a.pointId === null ? '  (no such point now)' : ''}`).join('\n') : 'no attached patch images',
      );
    },
  },
  {
    path: ['patches', 'detach'],
    usage: 'ferrolab patches detach BILLET [LABEL…] [--json]',
    summary: 'Remove attached patch images (the labels given, or all); those points go back to patches cut from the section',
    async run({ positionals, ctx, io }) {
      const billetId = resolveBillet(ctx!, positionals[0]);
      const labels = positionals.slice(1);
      const r = await localClient(ctx!)['patches.detach']({ billetId, labels: labels.length ? labels : undefined });
      io.result(r, (v) => (v.removed.length ? `detached ${v.removed.join(', ')}` : 'nothing to detach'));
    },
  },
];

/** An earlier `ferrolab patches` set (or an empty folder): only PNGs, quality.csv and settings.json. */
function isPatchSet(dir: string): boolean {
  if (!statSync(dir).isDirectory()) return false;
  return readdirSync(dir).every((f) => /\.png$/i.test(f) || f === 'quality.csv' || f === 'settings.json');
}
