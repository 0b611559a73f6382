import type { Element } from '../../jominy/elements.js';

/**
 * The paper's values (Vannucci & Colla 2021, JoMiner) that its text states. Its Tables 4, 5, 7, 8, 10, 11 and
 * Figs. 5, 6, 8 are images in the text Ferrolab holds (shared/seeds/jominer-hardenability-ga.txt): only the
 * numbers the prose gives are printed beside ours; nothing is read off a picture or guessed.
 */
export const PAPER = {
  /** §4.1: r = 3, α = 15 is the best cell, ε = 0.27 HRC (also §4.2: "raised from 0.27 HRC to 0.34 HRC"). */
  chosenEps: 0.27,
  /** §4.3: "0.27 HRC ≤ ε ≤ 0.40 HRC (see Table 4)": the range of ε over Table 4's 20 cells. */
  sweepEpsRange: [0.27, 0.4] as const,
  /** §4.2: the weighted run's overall ε. */
  weightedEps: 0.34,
  /** §4.2: improvement of ε_i at the weighted points, except the first (11 mm): 10–60 %. */
  weightedImprovementPct: [10, 60] as const,
  /** §4.1, Fig. 6: θ_i below 1 % in the first points, below 2.5 % in the central part. */
  thetaFirstBelowPct: 1,
  thetaCentralBelowPct: 2.5,
  /** §4.3, Table 11: change of the average content of the designs vs the targets', % ("around −18 %" for Ni, Mo). */
  costChangePct: { Ni: -18, Mo: -18, V: -89, Nb: -80 } as Partial<Record<Element, number>>,
  /** §4.3: Cr and Ti are reduced "slightly" (no figure given). */
  costSlight: ['Cr', 'Ti'] as Element[],
  targets: 243,
};
