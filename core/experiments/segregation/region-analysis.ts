import { phrase } from '../../api/phrase.js';
import { captioned, labelled, named, notesOf, titled } from '../words.js';
import type { LayersModel } from '@tensorflow/tfjs';
import { convLayerIndices, type ArchitectureSpec } from '../../ml/architecture.js';
import { modelFromArtifacts } from '../../ml/model-io.js';
import { runExperiment } from '../../segregation/cnn/experiment.js';
import { gradCam } from '../../ml/gradcam.js';
import { darkRegionMask, regionMeans, regionWilcoxon, type RegionMeans } from '../../ml/region-analysis.js';
import type { ExperimentBudget, ExperimentContext, ExperimentResult, SegregationData, SegregationExperiment, TableRow } from '../types.js';
import { scratchArchitecture } from './transfer-learning.js';
import { splitPointCounts, splitSeconds, stepSeconds } from './cnn-protocol.js';

/**
 * The paper's region analysis (Grad-CAM section): a CNN trained on the first shared split; eight representative
 * held-out patches; for each conv layer the mean Grad-CAM activation on interdendritic (dark, etched
 * solute-rich) pixels and on dendrite cores (light); a one-sided Wilcoxon signed-rank test "inter > core" per
 * layer over the eight patches. The paper reports 0.302 ± 0.170 vs 0.264 ± 0.176, p = 0.018 (layer not stated).
 * Masks: pixels below the patch median are interdendritic (core/ml/region-analysis.ts darkRegionMask) — a
 * stated rule, since the paper's hand masks are not published.
 */

export interface RegionSettings {
  patches: number;
  epochs: number;
  patience: number;
  batchSize: number;
  learningRate: number;
}

export const REGION_QUICK: RegionSettings = { patches: 8, epochs: 30, patience: 8, batchSize: 16, learningRate: 1e-3 };
export const REGION_FULL: RegionSettings = { patches: 8, epochs: 200, patience: 50, batchSize: 32, learningRate: 1e-4 };

/** `k` indices spread evenly over the carbon range of the candidates (sorted by carbon, evenly spaced ranks). */
export function representativePatches(candidates: readonly number[], carbon: readonly number[], k: number): number[] {
  const sorted = [...candidates].sort((a, b) => carbon[a] - carbon[b] || a - b);
  if (sorted.length <= k) return sorted;
  return Array.from({ length: k }, (_, j) => sorted[Math.round((j * (sorted.length - 1)) / (k - 1))]);
}

export interface LayerRegions {
  layer: number;
  layerName: string;
  perPatch: (RegionMeans | null)[];
}

/** Grad-CAM region means per conv layer for each patch (null where a layer's map is all zero). */
export function regionMeansPerLayer(model: LayersModel, patches: readonly Uint8Array[]): LayerRegions[] {
  const convs = convLayerIndices(model);
  return convs.map((li, k) => ({
    layer: k + 1,
    layerName: model.layers[li].name,
    perPatch: patches.map((p) => {
      const r = gradCam(model, Float32Array.from(p, (v) => v / 255), k + 1);
      if (r.rawMax === 0) return null;
      return regionMeans(r.cam, darkRegionMask(p));
    }),
  }));
}

export function regionAnalysisExperiment(override: Partial<RegionSettings> & { architecture?: ArchitectureSpec } = {}): SegregationExperiment {
  const settingsFor = (budget: ExperimentBudget): RegionSettings => ({ ...(budget === 'full' ? REGION_FULL : REGION_QUICK), ...override });
  return {
    id: 'region-analysis',
    title: 'Grad-CAM region analysis: interdendritic vs dendrite-core activation',
    titlePhrase: phrase('experiments.region.title'),
    paperRef: 'Grad-CAM section (Fig. 9, Wilcoxon test)',
    estimateSeconds(data, budget) {
      const s = settingsFor(budget);
      const arch = override.architecture ?? scratchArchitecture(data.size);
      const [points] = splitPointCounts(data, { maxSplits: 1 });
      // The training on split 1 (the CNN protocol), then a Grad-CAM per patch and conv layer: a batch-1 step each.
      return splitSeconds(arch, points, s.epochs, 8, s.batchSize) + s.patches * arch.blocks * arch.convsPerBlock * stepSeconds(arch, 1);
    },
    async run(data: SegregationData, ctx: ExperimentContext): Promise<ExperimentResult> {
      const t0 = performance.now();
      const s = settingsFor(ctx.budget);
      const split = data.splits[0];
      if (!split) throw new Error('region analysis: the data have no splits');
      const arch = override.architecture ?? scratchArchitecture(data.size);
      const carbon = data.points.map((p) => p.carbon);
      const pool = split.test.length >= s.patches ? split.test : [...split.test, ...split.val];
      const chosen = representativePatches(pool, carbon, s.patches);
      const layers = await ctx.unit(`region:${split.name}`, async () => {
        ctx.progress(0, phrase('expNotes.progress.regionTraining', { split: split.name }));
        // The CNN's own split protocol; with no refit it hands back split 1's model, whose Grad-CAM is read.
        const trained = await runExperiment(
          {
            architecture: arch,
            hyper: { epochs: s.epochs, batchSize: s.batchSize, learningRate: s.learningRate, patience: s.patience },
            patches: data.points.map((p) => p.clahe),
            carbon,
            splits: [split],
            final: null,
          },
          { signal: ctx.signal },
        );
        const model = await modelFromArtifacts(trained.artifacts);
        try {
          ctx.progress(0.8, phrase('expNotes.progress.regionGradcam'));
          return regionMeansPerLayer(
            model,
            chosen.map((i) => data.points[i].clahe),
          );
        } finally {
          model.dispose();
        }
      });
      ctx.progress(1, phrase('expNotes.progress.regionDone'));
      const rows: TableRow[] = layers.map((l) => {
        const kept = l.perPatch.filter((r): r is RegionMeans => r !== null);
        if (kept.length < 2) return { key: `layer-${l.layer}`, cells: { layer: l.layer, name: l.layerName, n: kept.length, inter: null, interSd: null, core: null, coreSd: null, w: null, p: null } };
        const t = regionWilcoxon(kept);
        return {
          key: `layer-${l.layer}`,
          cells: { layer: l.layer, name: l.layerName, n: t.n, inter: t.inside.mean, interSd: t.inside.sd, core: t.outside.mean, coreSd: t.outside.sd, w: t.statistic, p: t.pValue },
        };
      });
      rows.push({
        key: 'paper',
        cells: { layer: null, name: 'paper (layer not stated)', n: 8, inter: null, interSd: null, core: null, coreSd: null, w: null, p: null },
        paper: { n: 8, inter: 0.302, interSd: 0.17, core: 0.264, coreSd: 0.176, p: 0.018 },
      });
      const significant = rows.filter((r) => typeof r.cells.p === 'number' && (r.cells.p as number) < 0.05).map((r) => r.cells.layer);
      return {
        id: 'region-analysis',
        ...titled(phrase('experiments.region.title')),
        paperRef: 'Grad-CAM section (Wilcoxon signed-rank, alternative inter > core)',
        tables: [
          {
            id: 'region-analysis',
            ...titled(phrase('experiments.region.table')),
            sample: 'held-out',
            ...captioned(phrase('experiments.region.caption', { patches: chosen.map((i) => data.points[i].label).join(', '), split: split.name })),
            columns: [
              { key: 'layer', ...labelled(phrase('experiments.region.col.layer')), digits: 0 },
              { key: 'name', ...labelled(phrase('experiments.region.col.name')) },
              { key: 'n', ...labelled(phrase('experiments.region.col.patches')), digits: 0 },
              { key: 'inter', ...labelled(phrase('experiments.region.col.inter')), digits: 3 },
              { key: 'interSd', ...labelled(phrase('experiments.region.col.sd')), digits: 3 },
              { key: 'core', ...labelled(phrase('experiments.region.col.core')), digits: 3 },
              { key: 'coreSd', ...labelled(phrase('experiments.region.col.sd')), digits: 3 },
              { key: 'w', label: 'W', digits: 1 },
              { key: 'p', ...labelled(phrase('experiments.region.col.p')), digits: 3 },
            ],
            rows,
          },
        ],
        figures: [
          {
            id: 'region-activation',
            ...titled(phrase('experiments.region.figure')),
            kind: 'line',
            x: labelled(phrase('experiments.region.col.layer')),
            y: labelled(phrase('experiments.region.axis')),
            series: [
              { ...named(phrase('experiments.region.col.inter')), points: rows.filter((r) => typeof r.cells.inter === 'number').map((r) => ({ x: r.cells.layer as number, y: r.cells.inter as number })) },
              { ...named(phrase('experiments.region.col.core')), points: rows.filter((r) => typeof r.cells.core === 'number').map((r) => ({ x: r.cells.layer as number, y: r.cells.core as number })) },
            ],
          },
        ],
        seeds: { root: ctx.seed, [`split ${split.name}`]: split.seed },
        settings: { ...s, architecture: arch, patches: chosen.map((i) => data.points[i].label), maskRule: 'darker than the patch median = interdendritic' },
        ...notesOf([
          ...(ctx.budget === 'quick' ? [phrase('experiments.region.note.quick', { epochs: s.epochs, patience: s.patience, px: data.size })] : []),
          significant.length ? phrase('experiments.region.note.significant', { layers: significant.join(', ') }) : phrase('experiments.region.note.none'),
        ]),
        elapsedMs: performance.now() - t0,
      };
    },
  };
}

export const regionAnalysis: SegregationExperiment = regionAnalysisExperiment();
