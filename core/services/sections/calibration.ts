import type { ServiceContext } from '../context.js';
import { ApiError } from '../../api/errors.js';
import type { ImageRecord } from '../../api/methods/images.js';
import { createImagesRepo } from '../../store/repos/images-repo.js';
import { circleFromThreePoints, type Circle, type ImagingSettings } from '../../imaging/index.js';

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
    if (!img.autoCircle) throw new ApiError('failed_precondition', 'No automatic rim was found for this image; set it by hand', { field: 'restoreAuto' });
    c = img.autoCircle;
    source = 'auto';
  } else if (threePoints) {
    const fit = circleFromThreePoints(threePoints[0], threePoints[1], threePoints[2]);
    if (!fit) throw new ApiError('invalid_argument', 'The three rim points lie on a line: click three points spread around the rim', { field: 'threePoints' });
    c = fit;
    source = 'three-point';
  } else {
    c = circle!;
    source = 'manual';
  }
  const maxSide = Math.max(img.width, img.height);
  if (c.r < 0.05 * maxSide || c.r > 2 * maxSide) throw new ApiError('invalid_argument', `A rim radius of ${c.r.toFixed(0)} px does not fit a ${img.width}×${img.height} px image`, { field: 'circle' });
  const rec = repo.setCircle(imageId, c, source);
  ctx.bus.emit({ type: 'data-changed', entity: 'image', id: imageId });
  return rec;
}

export function setImageSettings(ctx: ServiceContext, imageId: number, settings: ImagingSettings): ImageRecord {
  const rec = createImagesRepo(ctx.db, ctx.paths.images).setSettings(imageId, settings);
  ctx.bus.emit({ type: 'data-changed', entity: 'image', id: imageId });
  return rec;
}
