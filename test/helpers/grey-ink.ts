/**
 * Two grey pictures of the same size compared pixel by pixel, as the map-words tests read them: `ink` counts the dark
 * pixels (< 100) of `a`, `differ` the pixels whose grey levels differ by more than 64.
 */
export function inkAndDifference(a: ArrayLike<number>, b: ArrayLike<number>): { ink: number; differ: number } {
  let ink = 0;
  let differ = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] < 100) ink++;
    if (Math.abs(a[i] - b[i]) > 64) differ++;
  }
  return { ink, differ };
}
