/**
 * What a 'billet' event means for the Annotate view. The points and readings services emit one on every change (the
 * list's counts change), so every typed reading had re-read the points and the section image: only a change of the
 * shown billet's diameter re-scales them (the points' frame, the image's scale warning). The billet is read and its
 * diameter compared; a billet deleted elsewhere is 'gone' (the billet list moves the view; no error to show).
 */
export async function afterBilletEvent(
  read: () => Promise<{ nominalDiameterMm: number }>,
  shownMm: () => number | null,
): Promise<'reread' | 'keep' | 'gone'> {
  let billet: { nominalDiameterMm: number };
  try {
    billet = await read();
  } catch (err) {
    if ((err as { code?: unknown } | null)?.code === 'not_found') return 'gone';
    throw err;
  }
  // (nothing shown yet: the first load is on its way and its answer may be older than this change)
  const shown = shownMm();
  return shown !== null && shown === billet.nominalDiameterMm ? 'keep' : 'reread';
}
