import type { ServiceContext } from '../context.js';
import { ApiError } from '../../api/errors.js';
import type { ImageRecord } from '../../api/methods/images.js';
import { calibrate } from '../../imaging/index.js';
import { imagesRepo } from './section-import.js';
import { phrase } from '../../api/phrase.js';

/** The billet's section, refused with the reason when there is none or its rim is not set. */

export function requireSection(ctx: ServiceContext, billetId: number): ImageRecord {
  ctx.repos.billets.get(billetId);
  const img = imagesRepo(ctx).forBillet(billetId);
  if (!img) throw ApiError.said('failed_precondition', phrase('errors.sections.noImageYet', { billet: String(billetId) }), { field: 'billetId' });
  return img;
}

export function requireCalibration(img: ImageRecord) {
  if (!img.circle) throw ApiError.said('failed_precondition', phrase('errors.sections.rimNotSet', { name: img.originalName }), { field: 'circle' });
  return calibrate(img.circle, img.nominalDiameterMm);
}
