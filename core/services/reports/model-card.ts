import type { CnnMetrics, ModelDetail } from '../../api/methods/cnn.js';
import { sayWith, type ModelCard, type ReportPhrase, type ReportTranslate } from '../../report/index.js';
import { coveragePhrase, heldOutPhrase, refitCoverageShort } from '../../ml/conformal.js';
import { heldOutSummary } from '../../segregation/cnn/held-out-summary.js';
import { scaleCheckPhrases } from '../../api/scale-check-words.js';
import type { Phrase } from '../../api/phrase.js';

/**
 * The report's model card from the CNN service's own description of a model (what cnn.models.get answers), every
 * word in the report's language (core/report/i18n/<lang>/report.json, "modelCard"). Each figure says which points
 * it was computed on: split test points are held-out, training points in-sample. The held-out MAE stands beside the
 * training mean's on the same points (the baseline that knows no image), and a refit whose interval misses its own
 * training points says so, as the CLI and the Train view do. Numbers keep the decimal point, like every other number
 * the report prints.
 */
export type ModelCardSource = Pick<ModelDetail, 'id' | 'name' | 'preset' | 'metrics' | 'calibration' | 'trainingPointsPhrase' | 'datasetFingerprint' | 'seed' | 'backend' | 'createdAt' | 'synthetic' | 'scaleWords' | 'ancestorOverlap'>;

export function modelCardOf(m: ModelCardSource, mapBackend: string | null, tr: ReportTranslate, say: ReportPhrase): ModelCard {
  const ms = (x: { mean: number; sd: number } | null | undefined, d = 4) => (x ? `${x.mean.toFixed(d)} ± ${x.sd.toFixed(d)}` : '—');
  const t = m.metrics?.summary?.test;
  const train = m.metrics?.summary?.train;
  const c = m.calibration;
  const base = heldOutSummary(m.metrics)?.baselineMae ?? null;
  const mode = m.metrics?.splitMode ?? '';
  // a fine-tune's held-out points that its parent trained on (task 27-G): said before the figures they qualify
  const o = m.ancestorOverlap;
  const overlap = o && (o.inAncestors || o.unknown)
    ? [{
        name: tr('modelCard.fineTuneHeldOut'),
        value: o.inAncestors
          ? tr('modelCard.fineTuneHeldOutValue', { inParent: o.inAncestors, n: o.n, parent: o.ancestors.map((a) => `${a.name} (#${a.id})`).join(', ') })
          : tr('modelCard.fineTuneUnknownValue', { unknown: o.unknown, n: o.n }),
      }]
    : [];
  // a blended model predicts the blend (task 27-N): its pooled held-out MAE is the model's, the split figures the CNN's alone
  const blend = m.metrics?.blend ?? null;
  const cnn = (name: string) => (blend ? tr('modelCard.cnnAlone', { name }) : name);
  const metrics = t
    ? [
        ...overlap,
        ...(blend ? [blendRow(blend, tr)] : []),
        { name: cnn(tr('modelCard.heldOutR2Eq2', { count: m.metrics!.splits.length, mode: modeWords(mode, m.metrics!.splits.length, tr) })), value: ms(t.r2, 3) },
        { name: cnn(tr('modelCard.heldOutR2Det')), value: ms(t.r2Determination, 3) },
        { name: cnn(tr('modelCard.heldOutBias')), value: ms(t.meanBias) },
        { name: cnn(tr('modelCard.heldOutMae')), value: ms(t.mae) },
        { name: tr('modelCard.heldOutBaselineMae'), value: base ? ms(base) : tr('modelCard.baselineNotRecorded') },
        { name: cnn(tr('modelCard.heldOutRmse')), value: ms(t.rmse) },
        { name: cnn(tr('modelCard.heldOutMax')), value: ms(t.maxAbsError) },
        ...(train ? [{ name: cnn(tr('modelCard.inSampleMae')), value: ms(train.mae) }] : []),
        ...(c
          ? [{
              name: tr('modelCard.interval', { nominal: Math.round((1 - c.alpha) * 100), method: c.method, n: c.n }),
              value: c.measuredCoverage === null
                ? tr('modelCard.intervalNotMeasured', { halfWidth: c.meanHalfWidth.toFixed(4) })
                : tr('modelCard.intervalMeasured', { halfWidth: c.meanHalfWidth.toFixed(4), coverage: c.measuredCoverage.toFixed(2), heldOut: sayWith(tr, heldOutPhrase(c.coverageN, c.coveragePoints)) }),
            }]
          : []),
        // the stored refit misses its own interval on the points it trained on (the "too narrow" warning)
        ...(c && refitCoverageShort(c) ? [{ name: tr('modelCard.refitShort'), value: sayWith(tr, coveragePhrase(c)) }] : []),
      ]
    : [{ name: tr('modelCard.splitMetrics'), value: tr('modelCard.noSplits') }];
  // the figures above were measured on these sections: one whose scale its resolution tag contradicts is named beside them
  metrics.push(trainingScaleRow(m.scaleWords ?? scaleCheckPhrases(null), tr, say)); // a description without the words (an older caller's) is not recorded, never none
  const backend = mapBackend ?? '?';
  return {
    id: m.id,
    name: m.name,
    preset: m.preset,
    // what the weights trained on (76 of the 85 points), not the dataset's count, which read as the training set
    trainingData: tr('modelCard.trainingData', { trained: sayWith(tr, m.trainingPointsPhrase), dataset: m.datasetFingerprint.slice(0, 12), seed: m.seed }),
    backend: m.backend ? tr('modelCard.backendTrainedOn', { backend, trainedOn: m.backend }) : tr('modelCard.backendThisMap', { backend }),
    metrics,
    createdAt: m.createdAt,
    synthetic: m.synthetic,
  };
}

/** The split protocol in words (an unknown one, from a newer or foreign record, as stored). */
function modeWords(mode: string, splits: number, tr: ReportTranslate): string {
  // Italian's adjective agrees with the number of splits ("1 suddivisione casuale", "5 suddivisioni casuali")
  if (mode === 'random') return tr('modelCard.mode.random', { count: splits });
  if (mode === 'leave-one-billet-out') return tr('modelCard.mode.leave-one-billet-out');
  return mode;
}

/** The card's row of the training sections' scale against their resolution tags (what was checked, a base's check). */
export function trainingScaleRow(words: readonly Phrase[], tr: ReportTranslate, say: ReportPhrase): { name: string; value: string } {
  return { name: tr('modelCard.trainingScale'), value: words.map((p) => say(p)).join('; ') };
}

/**
 * A blended model's own MAE row: held-out where each split's weight was chosen on the other splits; a blend stored
 * before that was measured has only the MAE its weight was chosen on, and the row says it is not held-out.
 */
function blendRow(blend: NonNullable<NonNullable<CnnMetrics['blend']>>, tr: ReportTranslate): { name: string; value: string } {
  const words = { w: blend.cnnWeight.toFixed(1), rest: (1 - blend.cnnWeight).toFixed(1), n: blend.heldOut.points };
  const cross = blend.heldOut.crossChosenMae;
  return typeof cross === 'number'
    ? { name: tr('modelCard.blendHeldOutMae', words), value: cross.toFixed(4) }
    : { name: tr('modelCard.blendChosenOnMae', words), value: blend.heldOut.blendMae.toFixed(4) };
}
