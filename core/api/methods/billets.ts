import { z } from 'zod';
import { method } from '../define.js';
import { Empty, Id, Name, NominalDiameterMm } from '../common.js';

const CarbonWtPct = z.number().min(0, 'carbon cannot be negative').max(2.5, 'carbon above 2.5 wt.% is not a steel');

export const Billet = z.object({
  id: Id,
  name: z.string(),
  steelGrade: z.string().nullable(),
  heat: z.string().nullable(),
  nominalDiameterMm: z.number(),
  castingNotes: z.string().nullable(),
  bulkCarbonWtPct: z.number().nullable(),
  synthetic: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  pointCount: z.number().int(),
  readingCount: z.number().int(),
  imageCount: z.number().int(),
  /** Separately captured patch images attached to its points (usable for patches without a section image). */
  attachedPatchCount: z.number().int(),
});
export type Billet = z.infer<typeof Billet>;

export const BilletFields = z.object({
  name: Name,
  steelGrade: z.string().trim().max(100).nullable().optional(),
  heat: z.string().trim().max(100).nullable().optional(),
  /** Required: a billet's physical scale (mm per px, patches, maps) follows from it, so it is never assumed. */
  nominalDiameterMm: NominalDiameterMm,
  castingNotes: z.string().max(5000).nullable().optional(),
  bulkCarbonWtPct: CarbonWtPct.nullable().optional(),
});

export const billetMethods = {
  'billets.list': method('All billets, newest first', Empty, z.array(Billet)),
  'billets.get': method('One billet', z.object({ id: Id }), Billet),
  'billets.create': method('Create a billet record', BilletFields, Billet),
  'billets.update': method(
    'Rename a billet or change its metadata',
    BilletFields.partial().extend({ id: Id }),
    Billet,
  ),
  'billets.delete': method(
    'Delete a billet with its images, points and readings',
    z.object({ id: Id, confirmName: z.string() }),
    z.object({ deleted: z.literal(true) }),
  ),
};
