/**
 * The chemistries a design run has scored, for its distinct top-k (different chemistries, same curve).
 * Bounded: past 4Q + 400 entries it keeps the best 2Q + 200 and the best distinct ones however far down
 * they rank — a converging refinement fills it with near-copies of one chemistry, and the alternatives must
 * survive that (4·topK of them, so a later, better chemistry near two kept ones cannot leave fewer than topK).
 */
export interface ArchiveEntry {
  chem: number[];
  f: number;
}

export class DesignArchive {
  private entries: ArchiveEntry[] = [];

  /**
   * @param free elements that vary; @param width their range widths (indexed by element);
   * @param distinctness least RMS difference in range units between two returned chemistries.
   */
  constructor(
    private readonly free: readonly number[],
    private readonly width: readonly number[],
    private readonly topK: number,
    private readonly distinctness: number,
    private readonly q: number,
  ) {}

  add(chems: Float64Array, row: number, nElements: number, f: number): void {
    this.entries.push({ chem: Array.from(chems.subarray(row * nElements, (row + 1) * nElements)), f });
    if (this.entries.length > 4 * this.q + 400) {
      this.entries.sort((a, b) => a.f - b.f);
      const keep = this.entries.slice(0, 2 * this.q + 200);
      for (const e of this.distinctTop(4 * this.topK)) if (!keep.includes(e)) keep.push(e);
      this.entries = keep;
    }
  }

  /** The best k chemistries that are pairwise at least `distinctness` apart, best first. */
  distinctTop(k = this.topK): ArchiveEntry[] {
    this.entries.sort((a, b) => a.f - b.f);
    const out: ArchiveEntry[] = [];
    for (const c of this.entries) {
      if (out.length >= Math.max(1, k)) break;
      if (out.every((x) => this.rms(x.chem, c.chem) >= this.distinctness)) out.push(c);
    }
    return out;
  }

  private rms(x: number[], y: number[]): number {
    if (!this.free.length) return 0;
    let d = 0;
    for (const j of this.free) d += ((x[j] - y[j]) / this.width[j]) ** 2;
    return Math.sqrt(d / this.free.length);
  }
}
