import type { DesignSession, JominyModelDetail } from '../../../../core/api/index';
import { call } from '../../lib/api';
import { showError } from '../../lib/state.svelte';
import { awaitJob } from '../../lib/await-job';
import { jm, refreshJominy } from './jominy-state.svelte';
import { defaultForm, formOfSession, rangesOfDomain, rangesProblem, settingsOf, targetOf, type CostMode, type DesignForm, type El, type WeightPreset } from './design-settings';

/**
 * What the Design tab's parts share: the form (plain data, see design-settings.ts), the predictor's detail,
 * the session on screen and the one it is compared with, the design job. One instance per mounted panel.
 */
export class DesignState {
  form = $state<DesignForm>(defaultForm());
  detail = $state<JominyModelDetail | null>(null);
  session = $state<DesignSession | null>(null);
  compareWith = $state<DesignSession | null>(null);
  selectedRank = $state(1);
  jobId = $state<string | null>(null);
  formError = $state<string | null>(null);
  /** Points of the last "Predict as target" curve that were capped at the martensite maximum. */
  cappedTarget = $state<{ points: number[]; max: number; curve: string } | null>(null);

  readonly dist = $derived(jm.meta?.distancesMm ?? []);
  readonly elements = $derived((jm.meta?.elements ?? []) as El[]);

  resetRanges(): void {
    if (this.detail) this.form.ranges = rangesOfDomain(this.detail.domain, this.elements);
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

  loadSession(s: DesignSession): void {
    this.session = s;
    this.selectedRank = 1;
    if (s.modelId !== null && jm.models.some((m) => m.id === s.modelId)) jm.modelId = s.modelId;
    this.form = formOfSession(s, $state.snapshot(this.form) as DesignForm, this.elements, jm.meta);
  }

  async run(): Promise<void> {
    if (jm.modelId === null) return;
    this.formError = rangesProblem(this.form.ranges, this.elements);
    if (this.formError) return;
    let jobId: string | null = null;
    try {
      const f = this.form;
      const j = await call('jominy.design', { modelId: jm.modelId, name: f.name.trim() || undefined, target: targetOf(f), settings: settingsOf(f, this.elements), seed: f.seed, parentSessionId: this.session?.id });
      jobId = this.jobId = j.id;
      this.selectedRank = 1;
      const end = await awaitJob(j);
      this.jobId = null;
      const id = (end.result as { sessionId?: number } | undefined)?.sessionId;
      if (end.state === 'done' && id) call('jominy.sessions.get', { id }).then((s) => (this.session = s), showError);
      else if (end.state === 'failed') showError(end.message);
      void refreshJominy();
    } catch (err) {
      if (jobId) this.jobId = null;
      this.formError = err instanceof Error ? err.message : String(err);
    }
  }
}
