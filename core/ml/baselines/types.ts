/**
 * The shape every handcrafted-feature baseline regressor meets (issue 13, Supp. Table 2). A model takes
 * already standardised features and targets (standardise.ts does that on the training fold only), so grids are
 * in standardised units and the same grid suits any dataset's scale.
 */

export type Matrix = number[][];

/** A fitted model. */
export interface Fitted {
  predict(X: Matrix): number[];
  /** Frees memory held outside the JS heap (libsvm's and xgboost's wasm/asm heaps). */
  dispose?(): void;
}

export type GridBudget = 'quick' | 'full';

/** Hyper-parameters of one grid point: plain, JSON-serialisable. */
export type Params = Record<string, number | string>;

export interface BaselineModel {
  /** Stable id, used in unit keys ("linear-svr"). */
  id: string;
  /** Name as the paper's table has it. */
  label: string;
  /** Which library fits it. */
  library: string;
  /** The hyper-parameter grid searched by CV. */
  grid(budget: GridBudget, featureCount: number): Params[];
  /** Fit on (X, y); every random choice comes from `seed`. */
  fit(X: Matrix, y: number[], params: Params, seed: number): Promise<Fitted>;
}

/** The Cartesian product of named value lists, in order (the first key varies slowest). */
export function gridOf(axes: Record<string, readonly (number | string)[]>): Params[] {
  let out: Params[] = [{}];
  for (const [k, values] of Object.entries(axes)) out = out.flatMap((p) => values.map((v) => ({ ...p, [k]: v })));
  return out;
}
