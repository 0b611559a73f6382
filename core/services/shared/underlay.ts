/** The etched section under a map: its (thumbnail) image and the rim circle in that image's pixels. */
export interface Underlay {
  image: Buffer;
  circle: { cx: number; cy: number; r: number };
}

/** How the maps service gets a billet's underlay: from the sections service, handed over by the composition root. */
export type UnderlaySource = (billetId: number) => Promise<Underlay | null>;
