import { phrase, type Phrase } from '../../api/phrase.js';
import { SWEEP_ALPHA, SWEEP_R } from '../../jominy/evaluate.js';
import type { ExperimentBudget } from '../types.js';
import type { JominyPlan } from './input.js';

/**
 * The budgets. full = the paper's settings (§4): every target heat (243 in the paper), r = 1…4 × α = 5, 10, 15,
 * 25, 50 (Table 4), Q = 50, NG = 100, weighted and cost runs at r = 3, α = 15. quick = minutes on 2 cores: the
 * first 48 target heats and 3 of the 5 α (5, 15, 50: the two ends and the chosen one) for every r; the GA keeps
 * the paper's Q and NG, because a smaller GA budget changes ε itself (what is compared with the paper), while
 * fewer targets only widen its spread.
 */
export const QUICK_TARGETS = 48;
export const QUICK_ALPHA = [5, 15, 50] as const;
export const CHOSEN = { r: 3, alpha: 15 } as const;

export function planFor(budget: ExperimentBudget, available: number, overrides: Partial<JominyPlan> = {}): JominyPlan {
  const base: JominyPlan =
    budget === 'full'
      ? { targets: available, r: [...SWEEP_R], alpha: [...SWEEP_ALPHA], population: 50, generations: 100, chosen: { ...CHOSEN } }
      : { targets: Math.min(QUICK_TARGETS, available), r: [...SWEEP_R], alpha: [...QUICK_ALPHA], population: 50, generations: 100, chosen: { ...CHOSEN } };
  const plan = { ...base, ...overrides };
  plan.targets = Math.min(plan.targets, available);
  return plan;
}

/** The sweep's cells, r major (Table 4's order). */
export const cellsOf = (plan: JominyPlan): { r: number; alpha: number }[] => plan.r.flatMap((r) => plan.alpha.map((alpha) => ({ r, alpha })));

/** What the quick budget leaves out, said in the notes (at most three sentences, as codes). */
export function reductionPhrases(plan: JominyPlan, available: number): Phrase[] {
  const out: Phrase[] = [];
  if (plan.targets < available) out.push(phrase('expNotes.jominy.cut.targets', { n: plan.targets, of: available }));
  const missingR = SWEEP_R.filter((r) => !plan.r.includes(r));
  const missingA = SWEEP_ALPHA.filter((a) => !plan.alpha.includes(a));
  // the grid's values are lists of settings, quoted as the tables write them
  if (missingR.length || missingA.length) out.push(phrase('expNotes.jominy.cut.cells', { cells: cellsOf(plan).length, r: plan.r.join(', '), alpha: plan.alpha.join(', ') }));
  if (plan.population !== 50 || plan.generations !== 100) out.push(phrase('expNotes.jominy.cut.ga', { q: plan.population, ng: plan.generations }));
  return out;
}
