import { z } from 'zod';
import { phrase } from './phrase.js';

/** Shared argument shapes of the contract. */
export const Id = z.number().int().positive();
export const Name = z.string().trim().min(1, 'must not be empty').max(200, 'at most 200 characters');
export const Seed = z.number().int().min(0).max(2 ** 32 - 1);
export const FiniteNumber = z.number().refine(Number.isFinite, 'must be a finite number');
export const Empty = z.object({}).strict().optional().default({});
export const JobRef = z.object({ jobId: z.string() });

/** A file the renderer sent with `uploadFile` first (browser or Electron); the core keeps it in tmp. */
export const UploadRef = z.object({ uploadId: z.string().regex(/^[a-f0-9]{32}$/, 'not an upload id'), name: z.string().max(500) });

/**
 * A billet's nominal diameter (mm) as the contract takes it. Never defaulted: the section's mm per px, every patch's
 * physical size, point positions and maps follow from it, so a missing one is refused by name (its words are the
 * phrase `billetDiameter.required`, read by `issuePhrase` from the message, in the user's language) instead of a
 * plausible 600 mm that puts a 150 mm billet 4× off scale.
 */
export const NOMINAL_DIAMETER_MAX_MM = 3000;
export const NominalDiameterMm = z
  .number({ error: (iss) => (iss.input === undefined ? phrase('billetDiameter.required').code : undefined) })
  .gt(0, 'must be positive')
  .max(NOMINAL_DIAMETER_MAX_MM, 'above 3000 mm is not a billet');
