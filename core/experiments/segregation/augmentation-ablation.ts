import { phrase, plain } from '../../api/phrase.js';
import { labelled, notesOf, titled } from '../words.js';
import { AUGMENTATIONS, augmentationTransforms, type Augmentation } from '../../imaging/augment.js';
import type { ExperimentResult, SegregationExperiment } from '../types.js';
import { budgetSettings, hyperOf, PAPER_INPUT_PX, referenceArchitecture, splitPointCounts, splitSeconds, splitsOf, type CnnBudgetSettings } from './cnn-protocol.js';
import { runVariants, variantBars, variantTables, type Variant } from './variant-runs.js';

/**
 * Supp. Table 1 of the carbon paper: the reference network trained with no augmentation, rotations only,
 * mirroring only, and rotations + mirroring, on the same splits. What each variant adds to an epoch
 * (core/imaging/augment.ts): none = the patch (1 copy per training point), rotation = 0/90/180/270° (4),
 * mirror = the patch and its left↔right mirror (2), both = the whole dihedral group (8). Validation and the
 * held-out / in-sample predictions use all 8 views (TTA) for every variant: the models are scored as the
 * product predicts, so only the training differs.
 */

export const AUGMENTATION_LABELS: Record<Augmentation, string> = { none: 'none', rotation: 'rotation only', mirror: 'mirroring only', both: 'rotation + mirroring' };

/** Supp. Table 1 (held-out, one split: the paper's R² is Eq. 2). */
export const PAPER_SUPP_TABLE_1: Record<Augmentation, { r2: number; mae: number }> = {
  none: { r2: 0.553, mae: 0.021 },
  rotation: { r2: 0.577, mae: 0.02 },
  mirror: { r2: 0.718, mae: 0.017 },
  both: { r2: 0.813, mae: 0.012 },
};

export interface AblationOptions {
  settings?: Partial<CnnBudgetSettings>;
}

export function augmentationAblationWith(opts: AblationOptions = {}): SegregationExperiment {
  const titlePhrase = phrase('experiments.augmentation.title');
  const title = titled(titlePhrase).title;
  return {
    id: 'augmentation-ablation',
    title,
    titlePhrase,
    paperRef: 'Supp. Table 1',
    estimateSeconds(data, budget) {
      const s = budgetSettings(budget, opts.settings);
      const a = referenceArchitecture(s, data.size);
      const counts = splitPointCounts(data, s);
      return AUGMENTATIONS.reduce((t, aug) => t + counts.reduce((u, p) => u + splitSeconds(a, p, s.epochs, augmentationTransforms(aug).length, s.batchSize), 0), 0);
    },
    async run(data, ctx): Promise<ExperimentResult> {
      const started = Date.now();
      const s = budgetSettings(ctx.budget, opts.settings);
      const splits = splitsOf(data, s);
      const architecture = referenceArchitecture(s, data.size);
      const patches = data.points.map((p) => p.clahe);
      const carbon = data.points.map((p) => p.carbon);
      const variants: Variant[] = AUGMENTATIONS.map((aug) => ({ key: aug, label: AUGMENTATION_LABELS[aug], inputs: 'clahe', input: { architecture, hyper: hyperOf(s, aug), patches, carbon } }));
      const runs = await runVariants(ctx, variants, splits);
      const paperTest = Object.fromEntries(AUGMENTATIONS.map((a) => [a, { r2: PAPER_SUPP_TABLE_1[a].r2, mae: PAPER_SUPP_TABLE_1[a].mae }]));
      const tables = variantTables('augmentation-ablation', { key: 'augmentation', ...labelled(phrase('experiments.augmentation.col.augmentation')) }, runs, { test: paperTest }, {
        columns: [
          { key: 'copies', ...labelled(phrase('experiments.augmentation.col.copies')) },
          { key: 'trainSamples', ...labelled(phrase('experiments.augmentation.col.trainSamples')), digits: 1 },
        ],
        cells: (r) => ({ copies: augmentationTransforms(r.variant.key as Augmentation).length, trainSamples: r.outcomes.reduce((t, o) => t + o.trainSamples, 0) / r.outcomes.length }),
      });
      const notes = [
        ...(ctx.budget === 'quick'
          ? [phrase('experiments.note.quickCnn', { filters: s.baseFilters, dropout: plain(s.dropout), epochs: s.epochs, patience: s.patience, lr: plain(s.learningRate), splits: splits.length, px: data.size, paperPx: PAPER_INPUT_PX })]
          : []),
        ...(architecture.blocks !== s.blocks ? [phrase('experiments.note.blocks', { blocks: architecture.blocks, paperBlocks: s.blocks, px: data.size })] : []),
        phrase('experiments.augmentation.note.epochs'),
        phrase('experiments.augmentation.note.copies'),
        phrase('experiments.augmentation.note.paperSplit', { splits: splits.length }),
        ...(data.synthetic ? [phrase('experiments.note.synthetic')] : []),
      ];
      return {
        id: 'augmentation-ablation',
        title,
        titlePhrase,
        paperRef: 'Supp. Table 1',
        tables,
        figures: [
          variantBars('augmentation-r2', phrase('experiments.augmentation.figR2'), runs, 'r2', Object.fromEntries(AUGMENTATIONS.map((a) => [a, PAPER_SUPP_TABLE_1[a].r2]))),
          variantBars('augmentation-mae', phrase('experiments.augmentation.figMae'), runs, 'mae', Object.fromEntries(AUGMENTATIONS.map((a) => [a, PAPER_SUPP_TABLE_1[a].mae]))),
        ],
        seeds: { root: ctx.seed, ...Object.fromEntries(splits.map((sp, i) => [`split${i + 1}`, sp.seed])) },
        settings: { budget: ctx.budget, ...s, splitsUsed: splits.length, patchPx: data.size, paperPatchPx: PAPER_INPUT_PX, architecture, inputNorm: 'none', augmentations: Object.fromEntries(AUGMENTATIONS.map((a) => [a, augmentationTransforms(a)])) },
        ...notesOf(notes),
        elapsedMs: Date.now() - started,
      };
    },
  };
}

export const augmentationAblation: SegregationExperiment = augmentationAblationWith();
