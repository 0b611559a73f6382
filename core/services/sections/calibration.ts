import type { ServiceContext } from '../context.js';
import { ApiError } from '../../api/errors.js';
import type { ImageRecord } from '../../api/methods/images.js';
import { createImagesRepo } from '../../store/repos/images-repo.js';
import { circleFromThreePoints, type Circle, type ImagingSettings } from '../../imaging/index.js';
import { fixed, phrase } from '../../api/phrase.js';

/** A section's calibration (its rim circle: dragged, three rim points, or the automatic fit restored) and patch settings. */

export interface SetCircleArgs {
  imageId: number;
  circle?: Circle;
  threePoints?: [{ x: number; y: number }, { x: number; y: number }, { x: number; y: number }];
  restoreAuto?: boolean;
}

export function setCircle(ctx: ServiceContext, { imageId, circle, threePoints, restoreAuto }: SetCircleArgs): ImageRecord {
  const repo = createImagesRepo(ctx.db, ctx.paths.images);
  const img = repo.get(imageId);
  let c: Circle;
  let source: 'manual' | 'three-point' | 'auto';
  if (restoreAuto) {
    if (!img.autoCircle) throw ApiError.said('failed_precondition', phrase('errors.sections.noAutoRim'), { field: 'restoreAuto' });
    c = img.autoCircle;
    source = 'auto';
  } else if (threePoints) {
    const fit = circleFromThreePoints(threePoints[0], threePoints[1], threePoints[2]);
    if (!fit) throw ApiError.said('invalid_argument', phrase('errors.sections.rimCollinear'), { field: 'threePoints' });
    c = fit;
    source = 'three-point';
  } else {
    c = circle!;
    source = 'manual';
  }
  const maxSide = Math.max(img.width, img.height);
  if (c.r < 0.05 * maxSide || c.r > 2 * maxSide) throw ApiError.said('invalid_argument', phrase('errors.sections.rimRadius', { r: fixed(c.r, 0), width: img.width, height: img.height }), { field: 'circle' });
  const rec = repo.setCircle(imageId, c, source);
  ctx.bus.emit({ type: 'data-changed', entity: 'image', id: imageId });
  return rec;
}

export function setImageSettings(ctx: ServiceContext, imageId: number, settings: ImagingSettings): ImageRecord {
  const rec = createImagesRepo(ctx.db, ctx.paths.images).setSettings(imageId, settings);
  ctx.bus.emit({ type: 'data-changed', entity: 'image', id: imageId });
  return rec;
}
