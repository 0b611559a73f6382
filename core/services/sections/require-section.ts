import type { ServiceContext } from '../context.js';
import { ApiError } from '../../api/errors.js';
import type { ImageRecord } from '../../api/methods/images.js';
import { calibrate } from '../../imaging/index.js';
import { imagesRepo } from './section-import.js';

/** The billet's section, refused with the reason when there is none or its rim is not set. */

export function requireSection(ctx: ServiceContext, billetId: number): ImageRecord {
  ctx.repos.billets.get(billetId);
  const img = imagesRepo(ctx).forBillet(billetId);
  if (!img) throw new ApiError('failed_precondition', `Billet ${billetId} has no section image yet: import one first`, { field: 'billetId' });
  return img;
}

export function requireCalibration(img: ImageRecord) {
  if (!img.circle) throw new ApiError('failed_precondition', `The rim of "${img.originalName}" is not set: drag the circle or click three points on the rim`, { field: 'circle' });
  return calibrate(img.circle, img.nominalDiameterMm);
}
