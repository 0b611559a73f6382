/**
 * Fuzzy adaptive GA controller (FAGA). The paper's own rule base was not published (research notes
 * §5.2), so this is a documented design choice of Ferrolab following the common pattern of Herrera &
 * Lozano's fuzzy logic controllers: two inputs, three triangular sets each, Sugeno singletons out.
 *
 * Inputs (both in [0, 1]):
 *   D — population diversity: mean over the free genes of (std in the population ÷ range width),
 *       relative to the diversity of the initial population;
 *   I — recent improvement: relative drop of the best objective over the last 5 generations,
 *       divided by 5 % (so ≥ 5 % counts as fully "high").
 * Outputs: crossover probability pc, mutation probability pm, mutation step multiplier s (× α).
 * Rules (D row, I column):            I low               I medium            I high
 *   D low  (converged)          pc .60 pm .90 s 1.5   pc .70 pm .60 s 1.2  pc .80 pm .40 s 1.0
 *   D medium                    pc .80 pm .50 s 1.0   pc .85 pm .40 s 1.0  pc .90 pm .30 s 0.8
 *   D high (spread out)         pc .90 pm .30 s 0.8   pc .95 pm .20 s 0.7  pc .95 pm .15 s 0.6
 * i.e. a converged, stalled population explores (more and larger mutations, less crossover); a
 * diverse, improving one exploits. Firing strength = min of the two memberships; output = weighted
 * mean of the singletons.
 */
export interface FagaOutput {
  pc: number;
  pm: number;
  stepScale: number;
}

const RULES: readonly (readonly [number, number, number])[][] = [
  [[0.6, 0.9, 1.5], [0.7, 0.6, 1.2], [0.8, 0.4, 1.0]],
  [[0.8, 0.5, 1.0], [0.85, 0.4, 1.0], [0.9, 0.3, 0.8]],
  [[0.9, 0.3, 0.8], [0.95, 0.2, 0.7], [0.95, 0.15, 0.6]],
];

/** Memberships of x in low / medium / high (triangles centred at 0, 0.5, 1). */
export function memberships(x: number): [number, number, number] {
  const v = Math.min(1, Math.max(0, x));
  return [Math.max(0, 1 - v / 0.5), Math.max(0, 1 - Math.abs(v - 0.5) / 0.5), Math.max(0, (v - 0.5) / 0.5)];
}

export function fagaControl(diversity: number, improvement: number): FagaOutput {
  const md = memberships(diversity);
  const mi = memberships(improvement);
  let sw = 0;
  let pc = 0;
  let pm = 0;
  let s = 0;
  for (let a = 0; a < 3; a++) {
    for (let b = 0; b < 3; b++) {
      const w = Math.min(md[a], mi[b]);
      if (w <= 0) continue;
      sw += w;
      pc += w * RULES[a][b][0];
      pm += w * RULES[a][b][1];
      s += w * RULES[a][b][2];
    }
  }
  return { pc: pc / sw, pm: pm / sw, stepScale: s / sw };
}
