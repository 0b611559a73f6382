import { describe, expect, it } from 'vitest';
import type { Phrase } from '../../../core/api/phrase.js';
import { english } from '../../../core/runtime/english.js';
import { reportPhraser } from '../../../core/report/report-i18n.js';
import { DISTANCES_MM } from '../../../core/jominy/elements.js';
import { jominyServiceSession } from '../../helpers/jominy-service.js';

/**
 * JoMiner's job messages and errors as phrase codes (issue 15): training, design and evaluation progress carry a
 * jominyJobs.* code beside the English message (the CLI's words, from the same catalog), and a refusal carries its
 * jominyErrors.* code, so the interface words both in Chinese or Italian.
 */
const { events, jobs, repos, svc } = jominyServiceSession({ progressIntervalMs: 0 }); // every progress message is emitted

/** Every message a running job showed, with the code it carried. */
const shown = (jobId: string) =>
  events.flatMap((e) => (e.type === 'job' && e.job.id === jobId && e.job.state === 'running' ? [{ message: e.job.message, phrase: e.job.phrase as Phrase | undefined }] : []));

describe('JoMiner jobs speak in codes', () => {
  let modelId = 0;

  it('training: every progress message after the start is a jominyJobs code whose English words are the message', async () => {
    const ds = svc.datasets.synth({ n: 60, seed: 4 });
    const job = svc.predictors.train({ datasetId: ds.id, seed: 1, maxHidden: 2, epochs: 5, ensemble: 2 });
    // the label: English as before, and a code that words it (the dataset's name quoted as given)
    expect(job.label).toBe(`Train Jominy predictor: JoMiner on ${ds.name}`);
    expect(job.labelPhrase).toEqual({ code: 'jobLabels2.jominyTrainOn', params: { dataset: ds.name } });
    expect(reportPhraser('zh')(job.labelPhrase)).toBe(`训练端淬预测器：基于 ${ds.name} 的 JoMiner`);
    const end = await jobs.wait(job.id);
    expect(end.state).toBe('done');
    modelId = (end.result as { modelId: number }).modelId;
    const msgs = shown(job.id).filter((m) => m.phrase?.code !== 'jobs.starting');
    expect(msgs.length).toBeGreaterThan(3);
    for (const m of msgs) {
      expect(m.phrase?.code, m.message).toMatch(/^jominyJobs\./);
      expect(english(m.phrase!)).toBe(m.message);
    }
    const codes = new Set(msgs.map((m) => m.phrase!.code));
    expect([...codes].sort()).toEqual(expect.arrayContaining(['jominyJobs.trainPoint', 'jominyJobs.ensembleStartEstimate', 'jominyJobs.ensembleMember']));
    const last = msgs.at(-1)!;
    expect(last.phrase?.code).toBe('jominyJobs.trainedSkillGradeCoverageCounted'); // synthetic heats have grades: skill over the grade mean
    // the coverage with the readings it was counted on and its Wilson 90 % interval, those the stored predictor states
    const u = svc.predictors.get(modelId).uncertainty!;
    const [cov, n, lo, hi] = [u.coverage!, u.coverageReadings!, u.coverageWilson![0], u.coverageWilson![1]].map((v, i) => (i === 1 ? String(v) : (100 * v).toFixed(1)));
    expect(Number(n)).toBeGreaterThan(0);
    expect(last.message).toMatch(new RegExp(`^test MAE \\d+\\.\\d\\d HRC \\(random split\\), skill -?\\d+\\.\\d\\d over the grade-mean; nominal 90 % interval covers ${cov} % of ${n} held-out readings, Wilson 90 % ${lo}–${hi} % \\(lowest distance: \\d+\\.\\d % at [\\d.]+ mm\\)$`));
    // the article follows how the coverage is read: "il 92.3 %", "l'85.3 %" (core/api/italian-articles.ts)
    expect(reportPhraser('it')(last.phrase)).toMatch(new RegExp(`^MAE di test \\d+\\.\\d\\d HRC \\(suddivisione random\\), skill -?\\d+\\.\\d\\d rispetto alla media della qualità; l'intervallo nominale al 90 % copre (?:il |l')${cov} % di ${n} letture di verifica, Wilson 90 % ${lo}–${hi} % \\(distanza più bassa: \\d+\\.\\d % a [\\d.]+ mm\\)$`));
  });

  it('design: the generation counter is a code; a refused setting is a jominyErrors code with the English message unchanged', async () => {
    const band = { kind: 'band' as const, min: DISTANCES_MM.map(() => 20), max: DISTANCES_MM.map(() => 60) };
    const job = svc.design({ modelId, target: band, seed: 3, settings: { ga: { population: 8, generations: 3 } } });
    expect(job.labelPhrase?.code).toBe('jobLabels2.jominyDesignAt');
    expect(job.label).toBe(`Jominy design: Design ${String(job.labelPhrase!.params.time)}`);
    expect(reportPhraser('it')(job.labelPhrase)).toBe(`Progetto Jominy: progetto del ${String(job.labelPhrase!.params.time)}`);
    const named = svc.design({ modelId, target: band, seed: 3, name: 'Lotto «42CrMo4»', settings: { ga: { population: 4, generations: 1 } } });
    expect(named.labelPhrase).toEqual({ code: 'jobLabels2.jominyDesign', params: { name: 'Lotto «42CrMo4»' } });
    expect(reportPhraser('zh')(named.labelPhrase)).toBe('端淬成分设计：Lotto «42CrMo4»');
    await jobs.wait(named.id);
    const end = await jobs.wait(job.id);
    expect(end.state).toBe('done');
    const last = shown(job.id).filter((m) => m.phrase?.code === 'jominyJobs.generation').at(-1)!;
    expect(last).toEqual({ message: 'generation 3 of 3', phrase: { code: 'jominyJobs.generation', params: { generation: 3, of: 3 } } });
    expect(reportPhraser('zh')(last.phrase)).toBe('第 3 代，共 3 代');
    let err: unknown;
    try {
      svc.design({ modelId, target: { kind: 'curve', hardness: DISTANCES_MM.map(() => 40) }, seed: 3, settings: { trust: { robustWeight: 10 }, tolerances: { C: 0.02 } } });
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'invalid_argument', message: 'maximising P(meet band) needs a band target', phrase: { code: 'jominyErrors.meetNeedsBand', params: {} } });
    expect(reportPhraser('it')((err as { phrase: Phrase }).phrase)).toBe('massimizzare P(entro la banda) richiede un obiettivo a banda');
  });

  it('evaluation: the label is a code, the default name worded, a given one quoted', async () => {
    const job = svc.evaluations.evaluate({ modelId, objective: 'base', sweep: false, seed: 1, maxTargets: 1, population: 4, generations: 1 } as never);
    expect(job.label).toMatch(/^Evaluation \(base\) of /);
    expect(job.labelPhrase).toMatchObject({ code: 'jobLabels2.jominyEvaluateOf', params: { objective: 'base' } });
    expect(reportPhraser('it')(job.labelPhrase)).toMatch(/^Valutazione \(base\) di /);
    await jobs.wait(job.id);
    const named = svc.evaluations.evaluate({ modelId, objective: 'base', sweep: false, seed: 1, maxTargets: 1, population: 4, generations: 1, name: 'run A' } as never);
    expect(named).toMatchObject({ label: 'Evaluation: run A', labelPhrase: { code: 'jobLabels2.jominyEvaluate', params: { name: 'run A' } } });
    await jobs.wait(named.id);
  });

  it('a constraint no chemistry can meet fails the design job with its code, carried out of the GA worker', async () => {
    const band = { kind: 'band' as const, min: DISTANCES_MM.map(() => 20), max: DISTANCES_MM.map(() => 60) };
    const job = svc.design({ modelId, target: band, seed: 3, settings: { linear: ['Mn>=2.4'], ga: { population: 8, generations: 2 } } });
    const end = await jobs.wait(job.id);
    expect(end.state).toBe('failed');
    expect(end.error).toMatchObject({ code: 'invalid_argument', phrase: { code: 'jominyErrors.noFeasibleChemistry', params: { constraints: 'Mn >= 2.4' } } });
    expect(end.error!.message).toBe('no chemistry inside the ranges satisfies Mn >= 2.4 (2000 tries); relax a range or a constraint');
    expect(reportPhraser('it')(end.error!.phrase)).toBe('nessuna composizione entro gli intervalli soddisfa Mn >= 2.4 (2000 tentativi); allarga un intervallo o un vincolo');
    // the failed session keeps the code beside its English error, for the design page in the user's language
    const failed = repos.sessions.listSessions().filter((x) => x.state === 'failed');
    expect(failed).toHaveLength(1);
    const session = repos.sessions.getSession(failed[0].id);
    expect(session.run).toMatchObject({ state: 'failed', error: end.error!.message, errorPhrase: end.error!.phrase });
  });

  it('a record that is not there, and a target the domain refuses, say so in codes', () => {
    expect(() => repos.datasets.getDataset(999)).toThrow(expect.objectContaining({ message: 'Jominy dataset 999 does not exist', phrase: { code: 'jominyErrors.datasetNotFound', params: { id: 999 } } }));
    let err: unknown;
    try {
      svc.design({ modelId, target: { kind: 'band', min: DISTANCES_MM.map(() => 50), max: DISTANCES_MM.map(() => 40) }, seed: 1, settings: {} });
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'invalid_argument', message: 'band at 1.5 mm: min 50 is above max 40', phrase: { code: 'jominyErrors.bandOrder' } });
    expect(reportPhraser('zh')((err as { phrase: Phrase }).phrase)).toBe('1.5 mm 处的带：最小值 50 大于最大值 40');
  });
});
