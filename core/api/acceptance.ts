import { z } from 'zod';
import { parseStrictDecimal } from './strict-decimal.js';

/**
 * Acceptance classes of a plant report: each class is a limit on the section's max C/C0 (segregation
 * index). Shared by the contract and the CLI (`--accept A=1.10`); the Maps form reads "A=1.10, B=1.20"
 * the same way (renderer/src/components/maps/plant-fields.ts: it may not run this module, which imports zod).
 */
export const AcceptanceClassSchema = z.object({
  name: z.string().trim().min(1).max(40),
  maxRatio: z.number().positive().max(10),
});
export type AcceptanceClass = z.infer<typeof AcceptanceClassSchema>;

export const AcceptanceClassesSchema = z
  .array(AcceptanceClassSchema)
  .min(1)
  .max(8)
  .refine((cs) => cs.every((c, i) => i === 0 || c.maxRatio > cs[i - 1].maxRatio), { message: 'acceptance limits must increase from the first class to the last (e.g. A=1.10, B=1.20)' })
  .refine((cs) => new Set(cs.map((c) => c.name)).size === cs.length, { message: 'acceptance class names must differ' });

/** One class written as NAME=LIMIT, or a bare LIMIT (then the class is called "accepted"). */
export function parseAcceptanceClass(text: string): AcceptanceClass {
  const t = text.trim();
  const m = /^(.+?)\s*=\s*(\S+)$/.exec(t);
  const name = m ? m[1].trim() : 'accepted';
  const num = m ? m[2] : t;
  const r = parseStrictDecimal(num);
  if (!r.ok) throw new RangeError(`acceptance limit "${num}" ${r.reason} (write NAME=MAX_C/C0, e.g. A=1.10)`);
  if (!(r.value > 0)) throw new RangeError(`acceptance limit must be a positive C/C0, got ${num}`);
  return { name, maxRatio: r.value };
}
