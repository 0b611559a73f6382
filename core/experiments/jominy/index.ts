/** JoMiner's experiments (issue 13): the paper's Tables 4, 5, 7, 8, 10, 11 and Figs. 5, 6, 8 on a dataset. */
export { runJominyReproduction, estimateJominySeconds, secondsFor } from './reproduction.js';
export type { JominyReproductionInput, JominyPlan } from './input.js';
export { planFor, cellsOf, QUICK_TARGETS, QUICK_ALPHA, CHOSEN } from './plan.js';
export { PAPER as JOMINER_PAPER } from './paper.js';
