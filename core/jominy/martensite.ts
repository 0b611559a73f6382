import { initialHardness } from './a255.js';

/**
 * The most a Jominy point of a steel can be: the as-quenched hardness of 100 % martensite, which
 * depends on carbon alone (Grange, Hribal & Porter, Metall. Trans. A 8 (1977) 1775: "the as-quenched
 * hardness depends solely on carbon content"). No network output may exceed it.
 *
 * Source of the numbers: the ASTM A255 initial hardness IH(C) (HRC at J1.5, ≈ 100 % martensite),
 * polynomial of research notes §1.3 (mxteen/metallurgical-engineers-handbook; `initialHardness` in
 * a255.ts). A second 100 %-martensite polynomial cited there (kswiat `get_hrc_from_carbon_a255_1`)
 * gives 56.1 HRC at 0.40 % C against its 56.3. The polynomial is fitted over the A255 carbon range
 * 0.10–0.70 %; past 0.70 % it turns down (65.8 HRC at 0.70 %, 24 HRC at 1.2 %): an artefact of the
 * fit, not of steel — the as-quenched hardness of high-carbon steel levels off above ≈ 0.7 % C
 * (retained austenite; G. Krauss, Steels: Processing, Structure, and Performance, ASM 2005), it
 * does not fall back to that of a low-carbon steel. So above 0.70 % C the maximum is held at the
 * 0.70 % value.
 */
export const MARTENSITE_CARBON_PLATEAU = 0.7;

/** As-quenched hardness of 100 % martensite (HRC) for `carbon` wt.%. */
export function martensiteMaxHrc(carbon: number): number {
  return initialHardness(Math.min(Math.max(carbon, 0), MARTENSITE_CARBON_PLATEAU));
}

export interface CappedProfile {
  profile: number[];
  /** Per point: true where the prediction was above the martensite maximum and was lowered to it. */
  capped: boolean[];
  martensiteMaxHrc: number;
}
