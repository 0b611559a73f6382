import { z } from 'zod';
import { method } from '../define.js';
import { Empty, Id, Name } from '../common.js';
import { ELEMENTS, N_POINTS, type Element } from '../../jominy/elements.js';
import { rangeOrderIssue } from '../jominy-chemistry.js';
import { phrase, plain } from '../phrase.js';
import { saidIssue } from '../zod-said.js';
import { Fifteen, Hrc, perElement, wtOf } from './jominy.js';

/**
 * The grade library of JoMiner design (issue 12): user-defined grades, each a chemistry min/max per element
 * (inside THE limits table, refused in the same words as every other chemistry input) and an optional
 * H-band at the standard distances. Choosing a grade for a design sets its element ranges.
 */

const GradeRanges = perElement((el) => z.tuple([wtOf(el), wtOf(el)]))
  .superRefine((r, ctx) => {
    const given = Object.entries(r).filter(([, v]) => v !== undefined) as [Element, [number, number]][];
    if (!given.length) ctx.addIssue(saidIssue(phrase('jominyZod.gradeNoRange')));
    for (const [el, [lo, hi]] of given) {
      if (lo <= hi) continue;
      const { code, params } = rangeOrderIssue(el, lo, hi);
      ctx.addIssue(saidIssue({ code, params }, [el]));
    }
  });

/** An H-band: minimum and maximum hardness (HRC) at the 15 standard distances; a point may leave either open (null). */
export const GradeBand = z
  .object({ min: Fifteen(Hrc.nullable(), 'band min'), max: Fifteen(Hrc.nullable(), 'band max') })
  .superRefine((b, ctx) => {
    for (let i = 0; i < N_POINTS; i++) {
      const lo = b.min[i];
      const hi = b.max[i];
      if (lo !== null && hi !== null && lo > hi) ctx.addIssue(saidIssue(phrase('jominyZod.bandPointOrder', { point: i + 1, lo: plain(lo), hi: plain(hi) }), ['min', i]));
    }
  });

export const JominyGrade = z.object({
  id: Id,
  name: z.string(),
  ranges: z.partialRecord(z.enum(ELEMENTS), z.tuple([z.number(), z.number()])),
  band: z.object({ min: z.array(z.number().nullable()), max: z.array(z.number().nullable()) }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type JominyGrade = z.infer<typeof JominyGrade>;

export const jominyGradeMethods = {
  'jominy.grades.list': method('The grade library, by name', Empty, z.array(JominyGrade)),
  'jominy.grades.create': method(
    'Add a grade: chemistry min/max per element (wt.%, inside the element limits) and an optional H-band',
    z.object({ name: Name, ranges: GradeRanges, band: GradeBand.nullable().optional() }),
    JominyGrade,
  ),
  'jominy.grades.update': method(
    'Change a grade (name, ranges, band); sessions that used it keep the grade as it was',
    z.object({ id: Id, name: Name.optional(), ranges: GradeRanges.optional(), band: GradeBand.nullable().optional() }),
    JominyGrade,
  ),
  'jominy.grades.delete': method('Delete a grade (sessions that used it keep their copy)', z.object({ id: Id }), z.object({ deleted: z.literal(true) })),
};
