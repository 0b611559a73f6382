import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { tempDir } from '../../helpers/temp.js';
import { offAndAgreeingBillets } from '../../helpers/off-tag-billet.js';
import { rewindSchema } from '../../helpers/pre-024-folder.js';
import { createAppContext, type AppContext } from '../../../core/app/context.js';
import { localClient } from '../../../core/app/dispatch.js';
import { dataLayout } from '../../../core/config/index.js';
import { english } from '../../../core/runtime/english.js';
import type { TrainJobResult } from '../../../core/services/cnn/index.js';
import type { Phrase } from '../../../core/api/phrase.js';

// Review 26d: a pre-024 section was read for its resolution tag only when Annotate or `billet show` opened it; a lab
// that upgraded and went straight to Train or Maps trained on (or mapped) a section 4× off its tag and was never
// told. Every path that opens a section's pixels now reads a pending tag first, and a CNN training's result names
// every section whose scale its tag contradicts, as does a predicted map's. Fails before: the rows stayed pending after the dataset opened them,
// and the training and map results had no warning.

const { dir, cleanup } = tempDir('ferrolab-section-scale-warnings-');
afterAll(cleanup);
const data = `${dir}/data`;
const ids = { off: 0, agrees: 0 };

const readState = (): Record<number, string> => {
  const db = new Database(dataLayout(data).database, { readonly: true });
  try {
    return Object.fromEntries((db.prepare('SELECT billet_id AS b, tag_read AS r FROM images').all() as Array<{ b: number; r: string }>).map((x) => [x.b, x.r]));
  } finally {
    db.close();
  }
};

async function done<T>(ctx: AppContext, job: { id: string }): Promise<T> {
  const end = await ctx.jobs.wait(job.id);
  if (end.state !== 'done') throw new Error(`job ${end.kind} ${end.state}: ${end.error?.message}`);
  return end.result as T;
}

beforeAll(async () => {
  const ctx = createAppContext({ dataDir: data, shell: 'cli', backend: 'wasm' });
  try {
    // a 150 mm section typed Ø600 (4× off its tag) and another typed Ø150 (agreeing), both measured at the 85 points
    Object.assign(ids, await offAndAgreeingBillets(ctx));
  } finally {
    await ctx.close();
  }
  rewindSchema(dataLayout(data).database, 23); // as a Ferrolab before migration 024 left the folder
}, 120_000);

describe('a pre-024 folder used straight from Train', () => {
  it('opening the sections for a model reads their tags, and the scale warnings name the section 4× off', async () => {
    const ctx = createAppContext({ dataDir: data, shell: 'cli', backend: 'wasm' });
    try {
      expect(readState()).toEqual({ [ids.off]: 'pending', [ids.agrees]: 'pending' });
      await ctx.services.sections.openForModel(ids.off, { inputSize: 16, scale: null }, null);
      expect(readState()).toEqual({ [ids.off]: 'read', [ids.agrees]: 'pending' });
      const check = await ctx.services.sections.scaleCheck([ids.off, ids.agrees, ids.off]);
      expect(readState()).toEqual({ [ids.off]: 'read', [ids.agrees]: 'read' });
      expectNamesOff(check.warnings.map((w) => w.phrase));
      // both carry a scanner's believed tag and a rim: both compared, once each
      expect(check.counts).toEqual({ sections: 2, compared: 2, noTag: 0, unread: 0, noRim: 0 });
    } finally {
      await ctx.close();
    }
  });

  it('a CNN training (compact, tiny) on both and a predicted map of each name the 4×-off section in their results', async () => {
    const db = new Database(dataLayout(data).database);
    db.prepare("UPDATE images SET tag_px_per_inch = NULL, tag_read = 'pending'").run(); // pending again, as after the upgrade
    db.close();
    const ctx = createAppContext({ dataDir: data, shell: 'cli', backend: 'wasm' });
    try {
      const api = localClient(ctx);
      const r = await done<TrainJobResult>(
        ctx,
        await api['cnn.train']({
          billetIds: [ids.off, ids.agrees],
          preset: 'compact',
          architecture: { inputSize: 16, blocks: 2, baseFilters: 4, dense: [8], dropout: 0 },
          hyper: { epochs: 1, patience: 1 },
          splits: 2,
          refit: false,
          seed: 3,
        }),
      );
      expect(readState()).toEqual({ [ids.off]: 'read', [ids.agrees]: 'read' });
      expectNamesOff(offOnly(r.scaleWords));
      expect(r.scaleWords.map((w) => w.code)).toEqual(['scale.check.contradicted', 'scale.sectionOffTag']);
      expect(r.scaleWords[0].params).toEqual({ contradicted: 1, compared: 2, sections: 2 });
      // a predicted map of each with that model: the 4×-off one is named, the other not
      ctx.db.prepare("UPDATE images SET tag_px_per_inch = NULL, tag_read = 'pending'").run();
      for (const [billetId, named] of [[ids.off, true], [ids.agrees, false]] as const) {
        const map = await done<{ scaleWords: Phrase[] }>(ctx, await api['maps.predict']({ billetId, modelId: r.modelId, strideMm: billetId === ids.off ? 100 : 25 }));
        // the map's own section first, then its model's training check frozen in (which names the 4×-off section for both)
        const cut = map.scaleWords.findIndex((w) => w.code === 'scale.check.fromModel');
        expect(cut).toBeGreaterThan(0);
        if (named) expectNamesOff(offOnly(map.scaleWords.slice(0, cut)));
        else expect(map.scaleWords.slice(0, cut).map((w) => w.code)).toEqual(['scale.check.noneFound']);
        expectNamesOff(offOnly(map.scaleWords.slice(cut)));
      }
      expect(readState()).toEqual({ [ids.off]: 'read', [ids.agrees]: 'read' });
    } finally {
      await ctx.close();
    }
  }, 180_000);
});

const offOnly = (words: Phrase[]): Phrase[] => words.filter((w) => w.code === 'scale.sectionOffTag');

function expectNamesOff(warnings: Phrase[]): void {
  expect(warnings.map((w) => [w.code, w.params.name])).toEqual([['scale.sectionOffTag', 'Heat Ø600']]);
  const inner = warnings[0].params.warning as Phrase;
  expect(inner.code).toBe('scale.tagContradicts');
  const ratio = (inner.params.ratio as { value: number }).value;
  expect(ratio).toBeGreaterThan(3.9);
  expect(ratio).toBeLessThan(4.1);
  expect(english(warnings[0])).toMatch(/^Billet Heat Ø600: The rim calibration gives \d\.\d{5} mm\/px \(Ø600 mm over a rim .* 4\.0\d× apart/);
}
