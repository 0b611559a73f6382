import type { ServiceContext } from '../context.js';
import type { CnnMetrics } from '../../api/methods/cnn.js';
import type { IntervalCalibration } from '../../ml/conformal.js';
import type { StoredPrediction } from '../../store/repos/predicted-maps-repo.js';
import { createModelsRepo } from '../../store/repos/models-repo.js';
import { modelCalibration } from '../../segregation/cnn/calibration.js';
import { log } from '../../runtime/log.js';

/**
 * The interval calibration of a stored predicted map (its uncertainty layer, the report's intervals): the one
 * stored with the map when it was made; for a map made before that, its model's (stored, or derived from its
 * split residuals). Null when neither exists (model deleted, not calibrated): readers then show no interval.
 */
export function predictionCalibration(ctx: ServiceContext, pred: StoredPrediction): IntervalCalibration | null {
  if ('calibration' in pred.params) return (pred.params.calibration as IntervalCalibration | null) ?? null;
  if (pred.info.modelId === null) return null;
  try {
    return modelCalibration(createModelsRepo(ctx.db).get(pred.info.modelId).metrics as CnnMetrics | null);
  } catch (err) {
    log.warn('maps', 'no interval calibration for a predicted map (its model is gone or unreadable)', { predictionId: pred.info.id, err });
    return null;
  }
}
