import { describe, expect, it } from 'vitest';
import { generateSyntheticBillet, syntheticSectionPng } from '../../../core/synth/index.js';
import { apiSession, refusal } from '../../helpers/api-session.js';
import { dispatch } from '../../../core/app/dispatch.js';
import { refusalToApi } from '../../../core/api/errors.js';
import { randomPointSplits } from '../../../core/segregation/cnn/splits.js';
import { reportPhraser } from '../../../core/report/report-i18n.js';
import type { ApiEvent, JobInfo } from '../../../core/api/events.js';

/**
 * Errors and job progress of the carbon side and the app reach the user as phrase codes (issue 15): the body that
 * crosses IPC/HTTP carries the code and its parameters beside the English `message` (what the CLI prints), and the
 * same code has Italian and Chinese words (the interface and the report word it from core/api/i18n). Values the user
 * gave are quoted exactly as given.
 */
const { ctx, api } = apiSession();
const it_ = reportPhraser('it');
const zh = reportPhraser('zh');
const en = reportPhraser('en');

describe('errors through the API carry their phrase and English message', () => {
  it('a billet that does not exist: one code per entity, the id quoted', async () => {
    const body = await refusal(() => api['billets.get']({ id: 987 }));
    expect(body).toMatchObject({ code: 'not_found', message: 'Billet 987 does not exist', phrase: { code: 'errors.notFound.billet', params: { id: '987' } } });
    expect(en(body.phrase)).toBe(body.message);
    expect(it_(body.phrase)).toBe('La billetta 987 non esiste');
    expect(zh(body.phrase)).toBe('铸坯 987 不存在');
    const model = await refusal(() => api['cnn.models.get']({ id: 99 }));
    expect(model).toMatchObject({ message: 'Model 99 does not exist', phrase: { code: 'errors.notFound.model', params: { id: '99' } } });
  });

  it("a contract refusal: the frame in the user's language, zod's own text quoted", async () => {
    const body = await refusal(() => api['readings.set']({ billetId: 1, label: 'P01', values: [3.1] } as never));
    expect(body.code).toBe('invalid_argument');
    expect(body.field).toBe('values.0');
    expect(body.message).toBe('readings.set: field "values.0": carbon above 2.5 wt.% is not a steel');
    expect(body.phrase).toEqual({ code: 'errors.app.invalidField', params: { where: 'readings.set', field: 'values.0', detail: 'carbon above 2.5 wt.% is not a steel' } });
    expect(it_(body.phrase)).toBe('readings.set: campo «values.0»: carbon above 2.5 wt.% is not a steel');
    const unknown = await refusal(() => dispatch(ctx, 'billets.nope', {}));
    expect(unknown).toMatchObject({ code: 'not_found', message: 'Unknown API method "billets.nope"' });
    expect(zh(unknown.phrase)).toBe('未知的 API 方法“billets.nope”');
  });

  it('a readings action refused by the store: the label as typed, the reading count in each language', async () => {
    const b = await api['billets.create']({ name: 'Billetta «prova»', nominalDiameterMm: 600 });
    await api['points.layout']({ billetId: b.id, pattern: 'hex85' });
    const missing = await refusal(() => api['readings.set']({ billetId: b.id, label: 'p 01', values: [0.4] }));
    expect(missing).toMatchObject({ code: 'not_found', field: 'label', message: `Billet ${b.id} has no sampling point "p 01"` });
    expect(it_(missing.phrase)).toBe(`La billetta ${b.id} non ha il punto di campionamento «p 01»`);
    await api['readings.set']({ billetId: b.id, label: 'P01', values: [0.41, 0.43] });
    const relayout = await refusal(() => api['points.layout']({ billetId: b.id, pattern: 'hex85' }));
    expect(relayout).toMatchObject({
      code: 'failed_precondition',
      message: 'This billet has 2 carbon readings; a new layout would delete them. Confirm to replace.',
      phrase: { code: 'errors.store.layoutDeletes', params: { n: 2 } },
    });
    expect(it_(relayout.phrase)).toBe('Questa billetta ha 2 letture di carbonio; una nuova disposizione le eliminerebbe. Conferma per sostituire.');
    expect(zh(relayout.phrase)).toBe('此铸坯有 2 个碳含量读数；新的布置会删除它们。请确认替换。');
    // a file refused as a whole: its name and line in the frame, the problem in the dialog's list as a code too
    const empty = await refusal(() => api['readings.importCsv']({ billetId: b.id, upload: { uploadId: ctx.uploads.saveBytes(Buffer.from('  \n')), name: 'vuoto.csv' }, unit: 'wt_pct' }));
    expect(empty).toMatchObject({ code: 'invalid_argument', message: 'vuoto.csv: line 1: the file is empty', phrase: { code: 'errors.readings.fileEmpty', params: { name: 'vuoto.csv' } } });
    expect(empty.details).toEqual({ errors: [{ line: 1, message: 'the file is empty', phrases: [{ code: 'errors.readings.csvEmpty', params: {} }] }] });
    expect(it_(empty.phrase)).toBe('vuoto.csv: riga 1: il file è vuoto');
    const dup = await refusal(() => api['billets.create']({ name: 'Billetta «prova»', nominalDiameterMm: 600 }));
    expect(dup).toMatchObject({ code: 'conflict', message: 'A billet named "Billetta «prova»" already exists' });
    expect(it_(dup.phrase)).toBe('Esiste già una billetta di nome «Billetta «prova»»');
  });

  it('a domain refusal caught by a service keeps its phrase: too few points to split, an impossible layout', async () => {
    let split: unknown;
    try {
      randomPointSplits(3, 3, 1);
    } catch (err) {
      split = err;
    }
    const body = refusalToApi('failed_precondition', split).toBody();
    expect(body).toMatchObject({ code: 'failed_precondition', message: '3 points are too few to split into train, validation and test sets (need at least 4)' });
    expect(it_(body.phrase)).toBe('3 punti sono troppo pochi per dividerli in insiemi di addestramento, validazione e test (ne servono almeno 4)');
    const b = await api['billets.create']({ name: 'B-params', nominalDiameterMm: 300 });
    const layout = await refusal(() => api['points.layout']({ billetId: b.id, pattern: 'grid', marginMm: 200 }));
    expect(layout).toMatchObject({ code: 'invalid_argument', message: 'margin 200 mm leaves no room on a 300 mm section', phrase: { code: 'errors.sections.layoutNoRoom' } });
    expect(zh(layout.phrase)).toBe('200 mm 的边距在 300 mm 的截面上没有留下空间');
  });

  it('a file that is not an image fails its import job with the phrase, the file name as given', async () => {
    const b = await api['billets.create']({ name: 'B-notimage', nominalDiameterMm: 600 });
    const job = await api['images.import']({ billetId: b.id, upload: { uploadId: ctx.uploads.saveBytes(Buffer.from('label;carbon\nP01;0,41\n')), name: 'lettura 1.csv' } });
    const end = await ctx.jobs.wait(job.id);
    expect(end.state).toBe('failed');
    expect(end.error).toMatchObject({ code: 'invalid_argument', message: 'Cannot import "lettura 1.csv": not an image (unknown or unsupported file format)' });
    expect(end.error?.phrase).toEqual({ code: 'errors.imaging.notImage', params: { file: 'lettura 1.csv' } });
    expect(it_(end.error?.phrase)).toBe('Impossibile importare «lettura 1.csv»: non è un’immagine (formato di file sconosciuto o non supportato)');
    expect(zh(end.error?.phrase)).toBe('无法导入“lettura 1.csv”：不是图像（未知或不支持的文件格式）');
  });
});

describe('job progress carries phrases', () => {
  it('a section import reports each step as a code and ends "done" as one', async () => {
    const seen: JobInfo[] = [];
    const off = ctx.bus.subscribe((ev: ApiEvent) => {
      if (ev.type === 'job') seen.push(ev.job);
    });
    try {
      const b = await api['billets.create']({ name: 'B-progress', nominalDiameterMm: 600 });
      const png = await syntheticSectionPng(generateSyntheticBillet({ seed: 3, sizePx: 200 }));
      const job = await api['images.import']({ billetId: b.id, upload: { uploadId: ctx.uploads.saveBytes(png), name: 'section.png' } });
      const end = await ctx.jobs.wait(job.id);
      expect(end.state).toBe('done');
      expect(end.phrase).toEqual({ code: 'jobs.done', params: {} });
      // progress events are throttled (100 ms): the first step always comes, the others as time allows
      const codes = seen.filter((j) => j.id === job.id && j.state === 'running').map((j) => j.phrase?.code);
      expect(codes).toContain('jobs.sections.header');
      const steps = ['jobs.starting', 'jobs.sections.header', 'jobs.sections.hashing', 'jobs.sections.pixels', 'jobs.sections.rim', 'jobs.sections.pyramid', 'jobs.sections.thumbnail', 'jobs.sections.imported'];
      expect(codes.filter((c) => !steps.includes(c!))).toEqual([]);
      expect(seen.find((j) => j.id === job.id)?.labelPhrase).toEqual({ code: 'jobs.sections.importLabel', params: { name: 'section.png' } });
      // each running line's English message is its phrase's English words
      for (const j of seen.filter((x) => x.id === job.id && x.phrase)) expect(j.message).toBe(en(j.phrase));
      expect(it_({ code: 'jobs.sections.pyramid', params: {} })).toBe('costruzione della piramide di tasselli');
    } finally {
      off?.();
    }
  });

  it('the training epoch line writes its numbers with the digits the English one has', () => {
    const p = { code: 'jobs.cnn.epoch' as const, params: { run: 'split 1/3', epoch: 4, epochs: 20, loss: { value: 0.01234, digits: 4 }, mae: { value: 0.0213, digits: 4 } } };
    expect(en(p)).toBe('split 1/3: epoch 4/20, loss 0.0123, val MAE 0.0213 wt.%');
    expect(it_(p)).toBe('split 1/3: epoca 4/20, perdita 0.0123, MAE di validazione 0.0213 wt.%');
    expect(zh(p)).toBe('split 1/3：第 4/20 轮，损失 0.0123，验证 MAE 0.0213 wt.%');
  });
});
