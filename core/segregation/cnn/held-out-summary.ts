import { meanSd, type MeanSd } from '../../ml/metrics.js';

/**
 * What a stored model's k-split evaluation says about it, for the places that list or card a model (CLI `model list`,
 * the Train view's Models table, the PDF model card): both R² named apart — the squared correlation of Eq. 2 can be
 * 0.61 while 1 − SSE/SST is 0.04 — and the held-out MAE beside the baseline that knows no image (each split's
 * training mean predicted at its held-out points). Plain data in and out.
 */

export interface HeldOutSplitsFacts {
  splitMode: string;
  splits: ReadonlyArray<{ testMaeOfTrainMean: number | null; testPoints: ReadonlyArray<{ billetId: number; label: string }> }>;
  summary: { test: { r2: MeanSd; r2Determination?: MeanSd; mae: MeanSd } } | null;
  /** A texture-blended model predicts the blend: its MAE pooled over the splits' residuals (see TextureBlend.heldOut). */
  blend?: { heldOut: { points: number; blendMae: number; crossChosenMae?: number | null } } | null;
}

export interface HeldOutSummary {
  splits: number;
  splitMode: string;
  r2Eq2: MeanSd;
  /** Absent from models stored before it was recorded. */
  r2Determination: MeanSd | null;
  mae: MeanSd;
  /** The training-mean baseline's held-out MAE over the same splits (null: a split without it recorded). */
  baselineMae: MeanSd | null;
  /**
   * A texture-blended model predicts the blend, not the CNN: the figures above are then the CNN's alone, and this is
   * the model's MAE, pooled over the splits' `residuals` (not a mean over splits): held-out with each split's weight
   * chosen on the other splits (`weightChosenOnThem` false); a blend stored before that was measured has only the MAE
   * its weight was chosen on (`weightChosenOnThem` true: not a held-out figure). Null: the CNN alone.
   */
  blend: { mae: number; residuals: number; weightChosenOnThem: boolean } | null;
}

/** The held-out summary of a model's splits; null without held-out splits. */
export function heldOutSummary(m: HeldOutSplitsFacts | null | undefined): HeldOutSummary | null {
  const t = m?.summary?.test;
  if (!m || !t) return null;
  const base = m.splits.map((s) => s.testMaeOfTrainMean);
  return {
    splits: m.splits.length,
    splitMode: m.splitMode,
    r2Eq2: t.r2,
    r2Determination: t.r2Determination ?? null,
    mae: t.mae,
    baselineMae: base.length && base.every((b): b is number => b !== null && Number.isFinite(b)) ? meanSd(base) : null,
    blend: m.blend ? blendFigure(m.blend.heldOut) : null,
  };
}

/** The blend's MAE a lab may read as held-out where it was measured, else the one its weight was chosen on, said so. */
function blendFigure(h: { points: number; blendMae: number; crossChosenMae?: number | null }): NonNullable<HeldOutSummary['blend']> {
  const crossed = typeof h.crossChosenMae === 'number';
  return { mae: crossed ? h.crossChosenMae! : h.blendMae, residuals: h.points, weightChosenOnThem: !crossed };
}

/**
 * Distinct points among the splits' held-out residuals (random splits may hold one point out in several splits), when
 * the stored test points are exactly those `residuals`; undefined when they cannot be told apart (not stored).
 */
export function heldOutDistinctPoints(splits: HeldOutSplitsFacts['splits'], residuals: number): number | undefined {
  const keys = splits.flatMap((s) => s.testPoints.map((p) => `${p.billetId}/${p.label}`));
  return keys.length === residuals && residuals > 0 ? new Set(keys).size : undefined;
}
