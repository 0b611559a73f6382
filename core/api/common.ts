import { z } from 'zod';

/** Shared argument shapes of the contract. */
export const Id = z.number().int().positive();
export const Name = z.string().trim().min(1, 'must not be empty').max(200, 'at most 200 characters');
export const Seed = z.number().int().min(0).max(2 ** 32 - 1);
export const FiniteNumber = z.number().refine(Number.isFinite, 'must be a finite number');
export const Empty = z.object({}).strict().optional().default({});
export const JobRef = z.object({ jobId: z.string() });

/** A file the renderer sent with `uploadFile` first (browser or Electron); the core keeps it in tmp. */
export const UploadRef = z.object({ uploadId: z.string().regex(/^[a-f0-9]{32}$/, 'not an upload id'), name: z.string().max(500) });
