/**
 * What a 'billet' event means for the Annotate view. The points and readings services emit one on every change (the
 * list's counts change), so every typed reading had re-read the points and the section image: only a change of the
 * shown billet's diameter re-scales them (the points' frame, the image's scale warning). The billet is read and its
 * diameter compared: 'reread' when it differs from the one shown, 'keep' when equal, 'pending' while no points are
 * shown yet (the first load compares when they land: its answer may predate the change), 'gone' for a billet deleted
 * elsewhere (the billet list moves the view; no error to show).
 */
export type BilletEventOutcome = { next: 'gone' } | { next: 'keep' | 'reread' | 'pending'; diameterMm: number };

export async function afterBilletEvent(
  read: () => Promise<{ nominalDiameterMm: number }>,
  shownMm: () => number | null,
): Promise<BilletEventOutcome> {
  let billet: { nominalDiameterMm: number };
  try {
    billet = await read();
  } catch (err) {
    if ((err as { code?: unknown } | null)?.code === 'not_found') return { next: 'gone' };
    throw err;
  }
  const shown = shownMm();
  const diameterMm = billet.nominalDiameterMm;
  return { next: shown === null ? 'pending' : shown === diameterMm ? 'keep' : 'reread', diameterMm };
}
