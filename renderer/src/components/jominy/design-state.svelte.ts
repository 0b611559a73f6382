import { untrack } from 'svelte';
import type { DesignSession, JominyModelDetail, SessionPredictor } from '../../../../core/api/index';
import { call } from '../../lib/api';
import { showError } from '../../lib/state.svelte';
import { awaitJob } from '../../lib/await-job';
import { i18n, t } from '../../lib/i18n.svelte';
import { decimalMarkOf } from '../../lib/locale-number';
import { errorText, jobError, say } from '../../lib/phrase';
import { jm, refreshJominy } from './jominy-state.svelte';
import { LastRequest } from '../../lib/last-request';
import { applyGrade, blankHeld, defaultForm, DEFAULT_TARGET, isDefaultTarget, formOfSession, formToRestore, rangesOfDomain, rangesIssue, constraintsIssue, settingsOf, targetScaleIssue, targetOf, tolerancesIssue, type CostMode, type FormIssue, type DesignForm, type El, type GradeChoice, type SavedForm, type WeightPreset } from './design-settings';

/**
 * What the Design tab's parts share: the form (plain data, see design-settings.ts), the predictor's detail,
 * the session on screen and the one it is compared with, the design job. One per window (`design`, below), not per
 * mounted panel: the panel is rebuilt each time the tab or the Jominy page is shown again, and a run started from it
 * must still be shown (or announced) when it ends, and its progress shown while it goes.
 */
export class DesignState {
  form = $state<DesignForm>(defaultForm());
  /**
   * The details of the predictor last read: they may be another one's than `jm.modelId` (chosen in the Predictor tab,
   * or made by a retrain, while its details are on their way): use `current`, which is null until they are its.
   */
  detail = $state<JominyModelDetail | null>(null);
  /** The chosen predictor's details could not be read (shown instead of a form with no ranges). */
  detailFailed = $state(false);
  session = $state<DesignSession | null>(null);
  compareWith = $state<DesignSession | null>(null);
  selectedRank = $state(1);
  jobId = $state<string | null>(null);
  /**
   * A form refusal or a run's error, with the predictor and the form it was about: shown (`formError`) only while
   * both are still the same, so it does not stick to another predictor or to a form the user has since corrected.
   */
  private refusal = $state<{ text: string; modelId: number | null; form: string } | null>(null);
  /** Points of the last "Predict as target" curve that were capped at the martensite maximum. */
  cappedTarget = $state<{ points: number[]; max: number; curve: string } | null>(null);
  /**
   * The session of a run that finished while the user had opened another one: announced (a notice that opens it),
   * not shown in place of the one the user chose.
   */
  finishedRun = $state<number | null>(null);

  /** Sessions the user has opened (or duplicated): a run compares it at its start and its end. */
  private opened = 0;
  // Two sessions opened quickly, or one opened as a run's result was being read: the last one asked is loaded.
  private readonly sessionRead = new LastRequest();
  // Two sessions compared quickly: the comparison is with the one chosen last.
  private readonly compareRead = new LastRequest();
  // Another predictor chosen while the first one's details were on their way: the details are the last one's.
  private readonly modelRead = new LastRequest();
  /** The predictor of the run that `finishedRun` announces. */
  private finishedRunModel: number | null = null;
  /**
   * A session opened with another predictor than the one shown: its ranges, grade and fixed elements wait for that
   * predictor's details (the base rows are its data's P1–P99), instead of being reset to them.
   */
  private sessionAwaitingDetail: DesignSession | null = null;
  /**
   * The form as it was when a record (a session whose predictor was deleted) was opened: the record shows its own
   * target on the chart, and closing it gives this form back (it was never the record's to change).
   */
  private formBeforeRecord: SavedForm | null = null;

  constructor() {
    // The window's state follows the chosen predictor whether the Design panel is shown or not (it is rebuilt on
    // each visit; the predictor can change in the Predictor tab or by a retrain meanwhile). No read here: the
    // details are read when the panel is shown (readDetails).
    $effect.root(() => {
      $effect(() => {
        const id = jm.modelId;
        untrack(() => this.predictorChosen(id));
      });
    });
  }

  /**
   * The predictor of the session on screen when that predictor was deleted: the session is then a record of its run,
   * shown with its stored numbers and said to be that predictor's; nothing runs or compares with it (the core refuses
   * a run that continues it). Null for any other session, or none.
   */
  readonly record = $derived(this.session?.predictor.deleted ? this.session.predictor : null);

  /** The chosen predictor's details, once read; null while they are on their way or could not be read. */
  readonly current = $derived(this.detail !== null && this.detail.id === jm.modelId ? this.detail : null);

  /** The refusal or run error for the predictor and form on screen, if any. */
  readonly formError = $derived(this.refusal && this.refusal.modelId === jm.modelId && this.refusal.form === JSON.stringify(this.form) ? this.refusal.text : null);

  readonly dist = $derived(jm.meta?.distancesMm ?? []);
  /** Per standard distance: beyond the chosen predictor's points, where a target is refused (null until its details are read). */
  readonly held = $derived(this.current?.pointsLayout?.outsideStandard ?? null);
  readonly elements = $derived((jm.meta?.elements ?? []) as El[]);

  /** The grade chosen in the form, if it is still in the library. */
  readonly grade = $derived((jm.grades.find((g) => g.id === this.form.gradeId) ?? null) as GradeChoice | null);

  /** Ranges from the data's P1–P99 (no grade). */
  resetRanges(): void {
    this.chooseGrade(null);
  }

  /** A grade sets the ranges of the elements it names; the others keep the data's P1–P99. */
  chooseGrade(id: number | null): void {
    const detail = this.current;
    if (!detail) return;
    const g = (jm.grades.find((x) => x.id === id) ?? null) as GradeChoice | null;
    Object.assign(this.form, applyGrade(g, rangesOfDomain(detail.domain, this.elements), this.elements));
  }

  /**
   * Another predictor is chosen (here, in the Predictor tab, by a retrain or by opening a session): the session on
   * screen, the comparison and a finished run's notice made with another predictor go. Its details are read by
   * `readDetails` when the Design panel is shown; until then `current` is null.
   */
  private predictorChosen(id: number | null): void {
    this.detailFailed = false;
    if (this.session && this.session.modelId !== id) {
      this.sessionRead.drop();
      this.session = null;
      this.restoreFormBeforeRecord();
    }
    if (this.compareWith && (this.session === null || this.compareWith.modelId !== id)) {
      this.compareRead.drop();
      this.compareWith = null;
    }
    if (this.finishedRun !== null && this.finishedRunModel !== id) this.finishedRun = null;
    if (this.sessionAwaitingDetail && this.sessionAwaitingDetail.modelId !== id) this.sessionAwaitingDetail = null;
  }

  /**
   * Reads the chosen predictor's details (the Design panel, when shown and when the predictor changes): the answer
   * to the last one asked is taken, and only while that predictor is still the chosen one (a panel destroyed
   * meanwhile included). Its first details reset the ranges to its data's P1–P99, or make the form of a session
   * opened with it; a failed read leaves no details.
   */
  readDetails(id: number | null): void {
    this.detailFailed = false;
    if (id === null) {
      this.modelRead.drop();
      this.detail = null;
      return;
    }
    this.modelRead.run(() => call('jominy.models.get', { id })).then(
      (m) => {
        if (m.stale || m.value.id !== jm.modelId) return;
        const changed = this.detail?.id !== m.value.id;
        this.detail = m.value;
        const s = this.sessionAwaitingDetail;
        this.sessionAwaitingDetail = null;
        if (s && s.id === this.session?.id) this.form = this.formOf(s, m.value);
        else if (changed) {
          this.resetRanges();
          // the default curve, untouched: blank what this predictor does not reach (and give back what it does)
          if (this.form.mode === 'curve' && isDefaultTarget(this.form.target)) this.form.target = blankHeld(DEFAULT_TARGET, this.held);
        }
      },
      (err) => {
        if (jm.modelId !== id) return;
        this.detail = null;
        this.detailFailed = true;
        showError(err);
      },
    );
  }

  /** The chosen grade's H-band as the target (without the distances the predictor does not reach). */
  useGradeBand(): void {
    const b = this.grade?.band;
    if (!b) return;
    this.form.mode = 'band';
    this.form.bandMin = blankHeld(b.min, this.held);
    this.form.bandMax = blankHeld(b.max, this.held);
  }

  setWeightPreset(p: WeightPreset): void {
    this.form.weightPreset = p;
    if (p !== 'custom' && jm.meta) this.form.weights = [...jm.meta.weightPresets[p]];
  }

  setCostMode(m: CostMode): void {
    this.form.costMode = m;
    if (m === 'paper' && jm.meta) {
      this.form.costs = [...jm.meta.costPreset.costs];
      this.form.beta = jm.meta.costPreset.beta;
    } else if (m === 'none') this.form.beta = 0;
  }

  /** Opens a stored session (the list's Open, the finished run's notice). */
  async openSession(id: number): Promise<void> {
    this.opened++;
    if (this.finishedRun === id) this.finishedRun = null;
    try {
      const answer = await this.sessionRead.run(() => call('jominy.sessions.get', { id }));
      if (!answer.stale) this.loadSession(answer.value);
    } catch (err) {
      showError(err);
    }
  }

  /**
   * Opens a copy of a stored session. Its answer counts as a session read: a session opened after it was asked
   * stays (the copy is made and listed all the same).
   */
  async duplicate(id: number): Promise<void> {
    this.opened++;
    const answer = await this.sessionRead.run(() => call('jominy.sessions.duplicate', { id }));
    if (!answer.stale) this.loadSession(answer.value);
  }

  /**
   * The session on screen was renamed: its stored version replaces it, if it is still the one on screen when the
   * answer lands (the user may have opened, duplicated or run another meanwhile). Not through `sessionRead`: that
   * would make a run's result, being read, stale; not counted as opened: what the user looks at has not changed.
   */
  async renamed(id: number): Promise<void> {
    if (this.session?.id !== id) return;
    const s = await call('jominy.sessions.get', { id });
    if (this.session?.id === id) this.session = s;
  }

  /**
   * Compares the session on screen with a stored one; the same one again ends the comparison. Neither may be a record
   * (a session whose predictor was deleted): its numbers are another predictor's (the list disables the button).
   */
  async compare(id: number): Promise<void> {
    if (this.compareWith?.id === id) {
      this.compareRead.drop();
      this.compareWith = null;
      return;
    }
    if (this.record) return;
    try {
      const answer = await this.compareRead.run(() => call('jominy.sessions.get', { id }));
      if (answer.stale || this.record) return;
      const s = answer.value;
      if (!s.predictor.deleted) {
        this.compareWith = s;
        return;
      }
      // the list was older than the store: its predictor was deleted elsewhere meanwhile (another window, the CLI)
      showError(new Error(t('jominy-design:ses.compareGone', { name: s.name, predictor: predictorName(s.predictor) })));
      void refreshJominy();
    } catch (err) {
      showError(err);
    }
  }

  /** A session was deleted: it is no longer shown, compared with or announced. */
  deleted(id: number): void {
    if (this.session?.id === id) {
      this.session = null;
      this.restoreFormBeforeRecord();
    }
    if (this.compareWith?.id === id) {
      this.compareRead.drop();
      this.compareWith = null;
    }
    if (this.finishedRun === id) this.finishedRun = null;
  }

  loadSession(s: DesignSession): void {
    if (s.predictor.deleted) {
      this.openRecord(s);
      return;
    }
    this.formBeforeRecord = null;
    this.session = s;
    this.selectedRank = 1;
    if (s.modelId !== null && jm.models.some((m) => m.id === s.modelId)) jm.modelId = s.modelId;
    const detail = this.current;
    // Another predictor's session: its form is made when that predictor's details are read (predictorChosen).
    this.sessionAwaitingDetail = detail || s.modelId !== jm.modelId ? null : s;
    this.form = this.formOf(s, detail);
  }

  /**
   * A session whose predictor was deleted, opened as a record: the chosen predictor stays, no comparison is kept, and
   * the form takes only the record's target and settings for the chart (never the chosen predictor's base rows: its
   * search box is shown in words, as stored). The form in use before is kept for `closeRecord`.
   */
  private openRecord(s: DesignSession): void {
    // the ranges are those of the predictor whose details were read last (the last to reset them)
    this.formBeforeRecord ??= { form: $state.snapshot(this.form) as DesignForm, modelId: this.detail?.id ?? null };
    this.sessionAwaitingDetail = null;
    this.compareRead.drop();
    this.compareWith = null;
    this.session = s;
    this.selectedRank = 1;
    this.form = formOfSession(s, this.formBeforeRecord.form, this.elements, jm.meta, decimalMarkOf(i18n.lang));
  }

  /** Closes the record on screen: the form the user had before opening it comes back. */
  closeRecord(): void {
    if (!this.record) return;
    this.sessionRead.drop();
    this.session = null;
    this.restoreFormBeforeRecord();
  }

  /** The form put aside by `openRecord`; with another predictor chosen meanwhile, with that one's ranges (formToRestore). */
  private restoreFormBeforeRecord(): void {
    const saved = this.formBeforeRecord;
    this.formBeforeRecord = null;
    if (!saved) return;
    const now = this.current;
    const grade = (jm.grades.find((g) => g.id === saved.form.gradeId) ?? null) as GradeChoice | null;
    this.form = formToRestore(saved, now && { modelId: now.id, dataRows: rangesOfDomain(now.domain, this.elements), grade }, this.elements);
  }

  /** The form of a stored session; with the predictor's details, the base rows (the data's P1–P99) it was run with. */
  private formOf(s: DesignSession, detail: JominyModelDetail | null): DesignForm {
    const f = formOfSession(s, $state.snapshot(this.form) as DesignForm, this.elements, jm.meta, decimalMarkOf(i18n.lang));
    if (detail) {
      // The base rows as the run had them: its grade (as stored) when that grade is still in the library, else the data's.
      const inLibrary = f.gradeId !== null && jm.grades.some((g) => g.id === f.gradeId);
      const stored = s.settings.grade;
      const a = applyGrade(inLibrary && stored ? { ...stored, band: null } : null, rangesOfDomain(detail.domain, this.elements), this.elements);
      f.gradeId = a.gradeId;
      f.baseRanges = a.baseRanges;
      f.ranges = f.ranges.map((r, j) => (s.settings.ranges?.[this.elements[j]] || s.settings.fixed?.[this.elements[j]] !== undefined ? r : a.ranges[j]));
    }
    return f;
  }

  private refuse(text: string | null, modelId: number | null): void {
    this.refusal = text === null ? null : { text, modelId, form: JSON.stringify(this.form) };
  }

  async run(): Promise<void> {
    const modelId = jm.modelId;
    // the form's ranges are the chosen predictor's only once its details are read; a record on screen runs nothing
    if (modelId === null || !this.current || this.record) return;
    const mark = decimalMarkOf(i18n.lang);
    const issue = targetScaleIssue(this.form, this.dist) ?? rangesIssue(this.form.ranges, this.elements) ?? tolerancesIssue(this.form.tolerancesText, mark) ?? constraintsIssue(this.form.linearText, mark);
    this.refuse(issue ? formIssueWords(issue) : null, modelId);
    if (issue) return;
    let jobId: string | null = null;
    const openedAtStart = this.opened;
    // an earlier run's "finished; the session you opened stays" speaks of that run: not of this one's results
    this.finishedRun = null;
    try {
      const f = this.form;
      // a session is the parent of a run only when made with the same predictor
      const parentSessionId = this.session?.modelId === modelId ? this.session.id : undefined;
      const j = await call('jominy.design', { modelId, name: f.name.trim() || undefined, target: targetOf(f), settings: settingsOf(f, this.elements, decimalMarkOf(i18n.lang)), seed: f.seed, parentSessionId });
      jobId = this.jobId = j.id;
      this.selectedRank = 1;
      const end = await awaitJob(j);
      this.jobId = null;
      const id = (end.result as { sessionId?: number } | undefined)?.sessionId;
      if (end.state === 'done' && id) {
        // The user opened another session, or chose another predictor, while the run ran: what is on screen stays;
        // the run is announced (and listed).
        if ((this.opened !== openedAtStart && this.session?.id !== id) || jm.modelId !== modelId) {
          this.finishedRun = id;
          this.finishedRunModel = modelId;
        } else {
          this.finishedRun = null; // shown in place: no earlier run's notice above its results
          this.sessionRead.run(() => call('jominy.sessions.get', { id })).then((s) => {
            if (s.stale) return;
            if (jm.modelId === modelId) this.session = s.value;
            else {
              // another predictor chosen while its session was being read: announced, not shown under that one
              this.finishedRun = id;
              this.finishedRunModel = modelId;
            }
          }, showError);
        }
      } else if (end.state === 'failed') showError(jobError(end));
      void refreshJominy();
    } catch (err) {
      if (jobId) this.jobId = null;
      // the service's refusal in the interface language (a target below 20 HRC names each distance and value)
      this.refuse(errorText(err), modelId);
    }
  }
}

/**
 * The window's design state: it outlives the Design panel (a run's job, the session on screen and the form stay
 * when the user looks at another tab or page and comes back). A window has one data folder for its life.
 */
export const design = new DesignState();

/** "predictor #3 (Old predictor)": whose curves and numbers a session's are. */
export function predictorName(p: SessionPredictor): string {
  return p.id === null ? t('jominy-design:panel.predictorUnknown') : t('jominy-design:panel.predictorName', { id: p.id, name: p.name ?? '' });
}

/** A form refusal in the interface language; the element symbols and the values typed stay as they are. */
const WHAT_KEY = { value: 'jominy-design:form.value', minimum: 'jominy-design:form.minimum', maximum: 'jominy-design:form.maximum' } as const;

function formIssueWords(issue: FormIssue): string {
  if (issue.kind === 'empty') return t('jominy-design:form.empty', { el: issue.el, what: t(WHAT_KEY[issue.what]) });
  if (issue.kind === 'chemistry') return say(issue.problem);
  if (issue.kind === 'scale') return say(issue.phrase);
  if (issue.kind === 'constraint') return t('jominy-design:form.constraintPoint', { line: issue.line, value: issue.value });
  return t('jominy-design:form.tolerances', { errors: issue.problems.map((p) => say(p)).join('; ') });
}
