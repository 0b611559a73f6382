/** The handcrafted-feature baseline regressors of Supp. Table 2, in the paper's order. */
import { gradientBoosting } from './gradient-boosting.js';
import { mlp } from './mlp.js';
import { randomForest } from './random-forest.js';
import { linearSvr, rbfSvr } from './svr.js';
import type { BaselineModel } from './types.js';
import { xgboost } from './xgboost.js';

export const BASELINE_MODELS: readonly BaselineModel[] = [linearSvr, rbfSvr, gradientBoosting, randomForest, xgboost, mlp];

export { gradientBoosting, linearSvr, mlp, randomForest, rbfSvr, xgboost };
export { fitAndPredict, kFolds, selectByCv, type CvSelection, type GridScore } from './cross-validate.js';
export type { BaselineModel, Fitted, Matrix, Params } from './types.js';
