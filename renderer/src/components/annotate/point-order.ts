import type { PointsList } from '../../../../core/api/index.js';
import { LastRequest, type Answer } from '../../lib/last-request.js';
import type { PointApi } from './point-editor.js';

/**
 * Reads of a billet's points (the load, re-reads on outside changes) and the Annotate view's own changes to them, in
 * order. A read asked before an edit here can be answered with the points before it and land after the edit's
 * answer (the old points back on screen). So a change makes the reads on their way stale, a re-read asked while
 * changes are on their way waits for them, and either way the points are read once more after the last change:
 * the outside change the read was for is not lost, and the view ends on what the server holds.
 *
 * Also counts the data-changed events the view's own changes will cause (echoes): the view already shows their
 * result, so they are no reason to read all points again. Plain logic (the view's state wires it to the API).
 */
export class PointOrder {
  // A re-read that fails leaves the newest answer that came (the load's, dropped as stale when the re-read was asked):
  // not older points, and not an empty view. A change here drops the reads before it, so none of those comes back.
  private readonly reads = new LastRequest({ fallBack: true });
  private readsOnTheirWay = 0;
  private changesOnTheirWay = 0;
  private rereadAfterChanges = false;
  /** Data-changed events still to come back from this view's own point and reading edits. */
  private echoes = 0;

  /** `readAgain` reads the points again (once the last change on its way is answered, when a read was put off or dropped). */
  constructor(private readonly readAgain: () => void) {}

  /**
   * Runs one call that changes the points or readings (each emits one data-changed event). Whichever event is
   * taken as its echo, any other one still reloads, so the final state is the stored one.
   */
  async own<T>(change: () => Promise<T>): Promise<T> {
    this.echoes++;
    try {
      return await this.inOrder(change);
    } catch (err) {
      this.echoes = Math.max(0, this.echoes - 1);
      throw err;
    }
  }

  /**
   * One step of a change (a write, or the read that ends an edit): reads on their way become stale once it is sent,
   * re-reads wait for it. A step that throws before it is sent (no billet loaded yet) changes nothing, and makes no
   * read stale: the load's read still counts, and with no points on screen there would be none to re-read after it.
   */
  private async inOrder<T>(step: () => Promise<T>): Promise<T> {
    const sent = step();
    if (this.readsOnTheirWay > 0) {
      this.reads.drop();
      this.rereadAfterChanges = true;
    }
    this.changesOnTheirWay++;
    try {
      return await sent;
    } finally {
      // sent now, answered after this change's answer has been applied (the caller applies it in this task)
      if (--this.changesOnTheirWay === 0 && this.rereadAfterChanges) {
        this.rereadAfterChanges = false;
        this.readAgain();
      }
    }
  }

  /**
   * The points, the last read asked counting; stale when a change or a later read made it so. When the later reads
   * failed, the newest answer that came, with `failed` (see LastRequest's fallBack).
   */
  async read(request: () => Promise<PointsList>): Promise<Answer<PointsList>> {
    this.readsOnTheirWay++;
    try {
      return await this.reads.run(request);
    } finally {
      this.readsOnTheirWay--;
    }
  }

  /** A re-read on an outside change: put off (stale) while changes are on their way, made after them; else `read`. */
  outsideRead(request: () => Promise<PointsList>): Promise<Answer<PointsList>> {
    if (this.changesOnTheirWay > 0) {
      this.rereadAfterChanges = true;
      return Promise.resolve({ stale: true });
    }
    return this.read(request);
  }

  /** True (once per own change) for a points/readings event this view caused itself. */
  takeEcho(): boolean {
    if (this.echoes === 0) return false;
    this.echoes--;
    return true;
  }

  /** Another billet is shown: reads and events of the one before count no more. */
  forget(): void {
    this.echoes = 0;
    this.reads.drop();
    this.rereadAfterChanges = false;
  }

  /** The point editor's calls, as the view's own changes (`api`: the calls bound to the billet on screen). */
  editorApi(api: PointApi): PointApi {
    return {
      move: (label, xMm, yMm) => this.own(() => api.move(label, xMm, yMm)),
      patch: (label, set) => this.own(() => api.patch(label, set)),
      save: (points, confirm) => this.own(() => api.save(points, confirm)),
      setReadings: (label, values) => this.own(() => api.setReadings(label, values)),
      // After a save that restored readings: a re-read of an outside change asked meanwhile is made after it, and
      // one on its way is read again after it (its answer, older, would put the old points back: nothing re-read).
      list: () => this.inOrder(() => api.list()),
    };
  }
}
