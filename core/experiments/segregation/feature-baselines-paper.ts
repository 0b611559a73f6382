/**
 * Supp. Table 2 of the carbon paper (carbon-segregation-cnn.txt): held-out R² (%, the paper's Eq. 2, the squared
 * Pearson correlation) and MAE (wt.%) of each baseline, exactly as printed. The paper states no grids, no
 * feature list and no split count for this table; nothing else is taken from it.
 */
export const PAPER_SUPP_TABLE_2: Readonly<Record<string, { r2Percent: number; maeWtPct: number }>> = {
  'linear-svr': { r2Percent: 17.5, maeWtPct: 0.0252 },
  'rbf-svr': { r2Percent: 35.3, maeWtPct: 0.0212 },
  'gradient-boosting': { r2Percent: 37.7, maeWtPct: 0.0212 },
  'random-forest': { r2Percent: 37.9, maeWtPct: 0.021 },
  xgboost: { r2Percent: 37.3, maeWtPct: 0.0217 },
  mlp: { r2Percent: 32.3, maeWtPct: 0.0182 },
};

/** The paper's CNN in the same table, quoted in the notes (this experiment does not train the CNN). */
export const PAPER_CNN = { r2Percent: 81.3, maeWtPct: 0.012 };
