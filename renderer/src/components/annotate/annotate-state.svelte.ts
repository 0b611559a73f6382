import type { AttachedPatchRecord, AttachReport, ImageRecord, PointsList, SamplingPoint } from '../../../../core/api/index';
import { call } from '../../lib/api';
import { app, showError } from '../../lib/state.svelte';
import { PointEditor } from './point-editor';
import { i18n, t } from '../../lib/i18n.svelte';
import { formatNumber } from '../../lib/locale-number';
import { rimWords as rimWordsOf } from './rim-source';
import { PointOrder } from './point-order';
import { LastRequest, type Answer } from '../../lib/last-request';
import { afterBilletEvent } from './billet-event';

export type RimMode = 'off' | 'drag' | 'three';
export type RimArgs =
  | { circle: { cx: number; cy: number; r: number } }
  | { threePoints: [{ x: number; y: number }, { x: number; y: number }, { x: number; y: number }] }
  | { restoreAuto: true };

/**
 * What the Annotate view and its toolbar, tools and dialogs share for the billet on screen: its points,
 * section image and attached patches, the selection and modes, the status line, the job in progress.
 * One instance per mounted view (a fresh view loads fresh data).
 */
export class AnnotateState {
  list = $state<PointsList | null>(null);
  image = $state<ImageRecord | null>(null);
  /** Separately captured patch images attached to points (they replace patches cut from the section). */
  attached = $state<AttachedPatchRecord[]>([]);
  attachReport = $state<{ report: AttachReport; failed: string | null } | null>(null);
  /** "Uploading patch images 3/40…" while a folder is sent. */
  attachUploading = $state<string | null>(null);
  selected = $state<string | null>(null);
  addMode = $state(false);
  rimMode = $state<RimMode>('off');
  showLabels = $state(true);
  /** The CSV import dialog is open (the view's keys are off meanwhile). */
  csvOpen = $state(false);
  status = $state('');
  busy = $state(false);
  /** The demo, image-import or attach job in progress, shown on the status line. */
  jobId = $state<string | null>(null);
  /**
   * The chosen billet's first points are on their way: the view says "Loading…" and draws nothing (its status line had
   * said "0 points" and offered the layout tools for a billet whose points were still coming). Over when an answer is
   * shown, or when the first read failed (the error is shown, and the view as an empty billet's).
   */
  pointsLoading = $state(false);
  /** Bumped after every history change, so canUndo/canRedo are re-read. */
  private editTick = $state(0);
  /** The billet on screen from the moment it is chosen, while its first load is still on its way too. */
  private loadedFor: number | null = null;
  /** The diameter a 'billet' event read before the first points landed: compared with theirs when they do. */
  private diameterRead: number | null = null;

  /** This view's point and reading changes and its reads of the points, in order (see point-order.ts). */
  private readonly order = new PointOrder(() => void this.reloadPoints());
  // The section image and attached patches, read at the load and again on outside changes: the last read asked counts
  // (or, when the reads after it failed, the newest answer that came).
  private readonly imageReads = new LastRequest({ fallBack: true });
  private readonly attachedReads = new LastRequest({ fallBack: true });

  // Bound to the billet on screen when an edit begins: every call of that edit goes to it (see PointEditor).
  readonly editor = new PointEditor(() => {
    const billetId = this.billetId();
    return this.order.editorApi({
      move: (label, xMm, yMm) => call('points.move', { billetId, label, xMm, yMm }),
      patch: (label, set) => call('points.patch', { billetId, label, set }),
      save: (points, confirmDeleteReadings) => call('points.save', { billetId, points, confirmDeleteReadings }),
      setReadings: (label, values) => call('readings.set', { billetId, label, values }),
      list: () => call('points.list', { billetId }),
    });
  });

  readonly points = $derived(this.list?.points ?? []);
  readonly canUndo = $derived(this.editTick >= 0 && this.editor.canUndo);
  readonly canRedo = $derived(this.editTick >= 0 && this.editor.canRedo);
  readonly job = $derived(this.jobId ? (app.jobs[this.jobId] ?? null) : null);

  /**
   * The billet whose changes concern this view: chosen, even before its first points are on screen (a change made
   * elsewhere during the first load is read again after it, not lost under the load's older answer).
   */
  get shownBilletId(): number | null {
    return this.loadedFor;
  }

  private billetId(): number {
    if (!this.list) throw new Error('no billet loaded');
    return this.list.billetId;
  }

  /**
   * Runs one call that changes this billet's points or readings (each emits one data-changed event). The
   * view already shows its result, so the event it causes is an echo, not a reason to reload all points.
   */
  own<T>(change: () => Promise<T>): Promise<T> {
    return this.order.own(change);
  }

  /** True (once per own change) for a points/readings event this view caused itself. */
  takeEcho(): boolean {
    return this.order.takeEcho();
  }

  historyChanged(): void {
    this.editTick++;
  }

  clearHistory(): void {
    this.editor.clear();
    this.editTick++;
  }

  /** Called when the current billet changes: forget everything of the previous one and load the new one. */
  show(id: number | null): void {
    if (id === this.loadedFor) return;
    this.loadedFor = id;
    this.diameterRead = null;
    this.order.forget();
    this.imageReads.drop();
    this.attachedReads.drop();
    this.clearHistory();
    this.selected = null;
    this.list = null;
    this.image = null;
    this.attached = [];
    this.attachReport = null;
    this.pointsLoading = id !== null;
    this.firstOnItsWay = null;
    if (id !== null) void this.load(id);
  }

  /**
   * The first read of the billet's points, image and attached patches. Each answer is applied as it comes, judged
   * fresh at that moment: one piece held up must not, when it lands, put back another piece's answer that a re-read
   * on an outside change has replaced meanwhile.
   */
  load(id: number): Promise<void> {
    return Promise.all([
      this.firstPointsRead(id),
      this.imageReads.run(() => call('images.forBillet', { billetId: id })).then((a) => this.applyImage(id, a), showError),
      this.attachedReads.run(() => call('patches.attachedList', { billetId: id })).then((a) => this.applyAttached(id, a), showError),
    ]).then(() => undefined);
  }

  async reloadPoints(): Promise<void> {
    const id = this.loadedFor;
    if (id === null) return;
    await this.order.outsideRead(() => call('points.list', { billetId: id })).then((a) => this.applyPoints(id, a), (err: unknown) => this.pointsReadFailed(id, err));
  }

  /**
   * The current load's points read (one token per load); while it is on its way, a re-read failing does not end
   * "Loading…" (its answer may still come). Per load, not one flag: after A → B → A, the first A load's answer landing
   * had cleared it while the second A load's read was still on its way.
   */
  private firstOnItsWay: object | null = null;
  private async firstPointsRead(id: number): Promise<void> {
    const mine = {};
    this.firstOnItsWay = mine;
    const answer = await this.order.read(() => call('points.list', { billetId: id })).catch((err: unknown) => ({ err }));
    if (this.firstOnItsWay === mine) this.firstOnItsWay = null;
    if ('err' in answer) this.pointsReadFailed(id, answer.err);
    else this.applyPoints(id, answer);
  }

  /** A points read failed with no answer to show: the error is shown, and "Loading…" ends once no read of the billet is on its way. */
  private pointsReadFailed(id: number, err: unknown): void {
    if (this.loadedFor === id && this.firstOnItsWay === null) this.pointsLoading = false;
    showError(err);
  }

  /** A 'billet' event for the shown billet: points and image are read again only when its diameter changed. */
  async billetChanged(): Promise<void> {
    const id = this.loadedFor;
    if (id === null) return;
    const shownMm = () => (this.list?.billetId === id ? this.list.nominalDiameterMm : null);
    const r = await afterBilletEvent(() => call('billets.get', { id }), shownMm).catch((err: unknown) => {
      showError(err);
      return { next: 'gone' } as const;
    });
    if (r.next === 'gone' || this.loadedFor !== id) return;
    // (judged again now: the first points may have landed while the billet was read)
    const shown = shownMm();
    if (shown === null) this.diameterRead = r.diameterMm;
    else if (shown !== r.diameterMm) await Promise.all([this.reloadPoints(), this.reloadImage()]);
  }

  async reloadImage(): Promise<void> {
    const id = this.loadedFor;
    if (id === null) return;
    await this.imageReads.run(() => call('images.forBillet', { billetId: id })).then((a) => this.applyImage(id, a), showError);
  }

  async reloadAttached(): Promise<void> {
    const id = this.loadedFor;
    if (id === null) return;
    await this.attachedReads.run(() => call('patches.attachedList', { billetId: id })).then((a) => this.applyAttached(id, a), showError);
  }

  // A stale answer has a later read on its way (a change here or elsewhere), which sets it. One that comes as the
  // newest good answer after later reads failed (`failed`) is shown with that failure.
  private applyPoints(id: number, a: Answer<PointsList>): void {
    if (a.stale || this.loadedFor !== id) return;
    this.list = a.value;
    this.pointsLoading = false;
    if (this.selected && !a.value.points.some((p) => p.label === this.selected)) this.selected = null;
    // a diameter read on a 'billet' event before these points landed, other than theirs: they predate the change
    const read = this.diameterRead;
    this.diameterRead = null;
    if (read !== null && read !== a.value.nominalDiameterMm) { void this.reloadPoints(); void this.reloadImage(); }
    if (a.failed !== undefined) showError(a.failed);
  }

  private applyImage(id: number, a: Answer<ImageRecord | null>): void {
    if (a.stale || this.loadedFor !== id) return;
    this.image = a.value;
    if (a.failed !== undefined) showError(a.failed);
  }

  private applyAttached(id: number, a: Answer<AttachedPatchRecord[]>): void {
    if (a.stale || this.loadedFor !== id) return;
    this.attached = a.value;
    if (a.failed !== undefined) showError(a.failed);
  }

  /** One point came back from the API (readings set or cleared, a move). */
  replacePoint(p: SamplingPoint): void {
    if (this.list) this.list = { ...this.list, points: this.list.points.map((q) => (q.id === p.id ? p : q)) };
  }

  setPoints(points: SamplingPoint[]): void {
    if (!this.list) return;
    this.list = { ...this.list, points };
    if (this.selected && !points.some((p) => p.label === this.selected)) this.selected = null;
  }

  async setRim(args: RimArgs): Promise<void> {
    if (!this.image) return;
    try {
      const image = await call('images.setCircle', { imageId: this.image.id, ...args });
      this.image = image;
      this.rimMode = 'off';
      this.status = t('annotate:rim.set', { source: rimWordsOf(image.circleSource, t), cx: formatNumber(image.circle!.cx, i18n.lang, { digits: 0 }), cy: formatNumber(image.circle!.cy, i18n.lang, { digits: 0 }), r: formatNumber(image.circle!.r, i18n.lang, { digits: 0 }), mmPerPx: formatNumber(image.mmPerPx, i18n.lang, { digits: 4 }) });
    } catch (err) {
      showError(err);
    }
  }
}
