/**
 * Radius of a sampling-point marker, in mm of the section, for a constant size on screen: markers drawn in
 * mm grew with the zoom until, zoomed in, they hid the structure the user zoomed in to see. Before the
 * viewer has reported its scale (0), the old fixed size (1/32 of the radius) stands in.
 */
export const MARKER_SCREEN_PX = 10;

export function markerRadiusMm(mmPerScreenPx: number, radiusMm: number): number {
  return mmPerScreenPx > 0 && Number.isFinite(mmPerScreenPx) ? MARKER_SCREEN_PX * mmPerScreenPx : radiusMm / 32;
}
