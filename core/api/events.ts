import { z } from 'zod';
import { PhraseSchema } from './phrase.js';

export const JobState = z.enum(['queued', 'running', 'done', 'failed', 'cancelled']);
export type JobState = z.infer<typeof JobState>;

export const JobInfo = z.object({
  id: z.string(),
  kind: z.string(),
  label: z.string(),
  /** `label` as a code where the job was started with one, so the interface words it in its language. */
  labelPhrase: PhraseSchema.optional(),
  state: JobState,
  /** 0..1, or null when the job cannot estimate it. */
  progress: z.number().nullable(),
  message: z.string(),
  /** `message` as a code (core/api/phrase.ts) where the job wrote one, so the interface words it in its language. */
  phrase: PhraseSchema.optional(),
  /** Job-specific progress payload, e.g. `{ epoch, loss, valMae, etaS }` for training. */
  detail: z.unknown().optional(),
  result: z.unknown().optional(),
  error: z.object({ code: z.string(), message: z.string(), phrase: PhraseSchema.optional() }).optional(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type JobInfo = z.infer<typeof JobInfo>;

/**
 * What a data-changed event names (its id: the billet for points, readings, attached-patches, predicted-map,
 * report, point-plan and billet; the row otherwise). One list, so the renderer can prove it listens to every kind.
 */
export const DATA_KINDS = [
  'billet', 'points', 'readings', 'image', 'attached-patches', 'model', 'predicted-map', 'report',
  'jominy-dataset', 'jominy-model', 'jominy-session', 'jominy-evaluation', 'jominy-grade', 'point-plan', 'experiment-run',
] as const;
export type DataKind = (typeof DATA_KINDS)[number];

/** Everything the core pushes to the UI without being asked. */
export type ApiEvent =
  | { type: 'job'; job: JobInfo }
  | { type: 'data-changed'; entity: DataKind; id?: number };
