import type { Handlers } from '../handler-types.js';
import type { AppContext } from '../context.js';
import type { imageMethods } from '../../api/methods/images.js';
import { ApiError } from '../../api/errors.js';
import { DEFAULT_MAX_PIXELS, type ImagingSettings } from '../../imaging/index.js';
import { phrase } from '../../api/phrase.js';

/** Section images and patches: adapters over the sections service (core/services/sections). */
export const imageHandlers: Handlers<keyof typeof imageMethods> = {
  'images.import': ({ billetId, upload, nominalDiameterMm, significantBits }, ctx) => {
    ctx.repos.billets.get(billetId); // a missing billet fails now, not inside the job
    const file = ctx.uploads.resolve(upload.uploadId);
    // the upload is spent when the job ends (core/app/upload-consumers.ts)
    return ctx.jobs.start('images.import', phrase('jobs.sections.importLabel', { name: upload.name }), (ctl) =>
      ctx.services.sections.importSection({ billetId, file, originalName: upload.name, nominalDiameterMm, significantBits }, ctl),
    );
  },
  'images.forBillet': ({ billetId }, ctx) => {
    ctx.repos.billets.get(billetId);
    return ctx.services.sections.image(billetId);
  },
  'images.pores': ({ billetId }, ctx) => ctx.services.sections.pores(billetId),
  'images.detectPores': ({ billetId }, ctx) => {
    ctx.repos.billets.get(billetId); // a missing billet fails now, not inside the job
    return ctx.jobs.start('images.detectPores', phrase('jobs.maps.poresLabel', { billet: billetId }), (ctl) => ctx.services.sections.detectPores(billetId, ctl));
  },
  'images.setCircle': (args, ctx) => ctx.services.sections.setCircle(args),
  'images.setSettings': ({ imageId, settings }, ctx) => ctx.services.sections.setSettings(imageId, settings as ImagingSettings),
  'images.pixelLimit': ({ maxPixels }, ctx) => {
    if (maxPixels !== undefined) ctx.services.sections.setMaxPixels(maxPixels);
    return { maxPixels: ctx.services.sections.maxPixels(), defaultMaxPixels: DEFAULT_MAX_PIXELS };
  },
  'patches.quality': ({ billetId }, ctx) => {
    ctx.services.sections.requirePatchSource(billetId); // fail now with a clear message, not inside the job
    return ctx.jobs.start('patches.quality', phrase('jobs.sections.qualityLabel', { billet: billetId }), (ctl) => ctx.services.sections.qualityTable(billetId, ctl));
  },
  'patches.preview': (args, ctx) => ctx.services.sections.preview(args as Parameters<AppContext['services']['sections']['preview']>[0]),
  'patches.attach': ({ billetId, files, mmPerPx, significantBits, trustGivenScale }, ctx) => {
    ctx.repos.billets.get(billetId);
    if (!ctx.services.sections.pointPositions(billetId).length) {
      throw ApiError.said('failed_precondition', phrase('errors.sections.attachNoPoints'), { field: 'billetId' });
    }
    const inputs = files.map((f) => ({ file: ctx.uploads.resolve(f.uploadId), name: f.name })); // a missing upload fails now
    return ctx.jobs.start('patches.attach', files.length === 1 ? phrase('jobs.sections.attachLabelOne') : phrase('jobs.sections.attachLabel', { n: files.length }), (ctl) =>
      ctx.services.sections.attach(billetId, inputs, ctl, mmPerPx ?? null, significantBits, trustGivenScale ?? false),
    );
  },
  'patches.attachedList': ({ billetId }, ctx) => ctx.services.sections.attachedList(billetId),
  'patches.detach': ({ billetId, labels }, ctx) => ctx.services.sections.detach(billetId, labels),
};
