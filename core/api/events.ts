import { z } from 'zod';

export const JobState = z.enum(['queued', 'running', 'done', 'failed', 'cancelled']);
export type JobState = z.infer<typeof JobState>;

export const JobInfo = z.object({
  id: z.string(),
  kind: z.string(),
  label: z.string(),
  state: JobState,
  /** 0..1, or null when the job cannot estimate it. */
  progress: z.number().nullable(),
  message: z.string(),
  /** Job-specific progress payload, e.g. `{ epoch, loss, valMae, etaS }` for training. */
  detail: z.unknown().optional(),
  result: z.unknown().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type JobInfo = z.infer<typeof JobInfo>;

/** Everything the core pushes to the UI without being asked. */
export type ApiEvent =
  | { type: 'job'; job: JobInfo }
  | { type: 'data-changed'; entity: string; id?: number };
