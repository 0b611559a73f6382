import type { ServiceContext } from '../context.js';
import type { ClaheSettings, PoreMaskSource } from '../../imaging/index.js';
import type { CutPatch, OpenedBillet, OpenedSection } from '../../segregation/cnn/dataset.js';
import type { ModelScale } from '../../segregation/cnn/scale.js';
import type { ScaleCheck } from '../../api/methods/cnn.js';

/**
 * How the CNN reads a billet's pixels: through the sections service (the one reader), handed over by the
 * composition root. Same shape as the sections service's methods of these names.
 */
export interface SectionReader {
  /** The billet's newest section decoded once plus its attached patch images, for a model (input size + physical scale). */
  openForModel(billetId: number, model: { inputSize: number; scale: ModelScale | null }, clahe: ClaheSettings | null | undefined): Promise<OpenedBillet>;
  /** The section only (cutting at arbitrary centres). */
  openSectionForModel(billetId: number, model: { inputSize: number; scale: ModelScale | null }, clahe: ClaheSettings | null | undefined): Promise<OpenedSection>;
  /** The physical patch a new model trained on these billets gets (null: no billet has a calibrated section). */
  defaultModelScale(billetIds: readonly number[], inputSize: number, patchMm?: number): ModelScale | null;
  patchesAt(s: OpenedBillet, points: readonly { label: string; xMm: number; yMm: number }[], signal?: AbortSignal, onProgress?: (done: number, total: number) => void): Promise<CutPatch[]>;
  /** The pores of the billet's section with their mask (detected first when needed); null without a calibrated section. */
  sectionPores(billetId: number): Promise<PoreMaskSource | null>;
  /** The billets' sections checked against their files' resolution tags: counts and contradictions, named (pending tags read first). */
  scaleCheck(billetIds: readonly number[]): Promise<ScaleCheck>;
  /** The billet's name (not_found names the `billetIds` field). */
  billetName(billetId: number): string;
}

/** What the CNN service's parts receive: the service context plus the sections reader. */
export interface CnnContext extends ServiceContext {
  readonly sections: SectionReader;
}
