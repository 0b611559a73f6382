import { afterAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tempContext } from '../../helpers/temp.js';
import { localClient } from '../../../core/app/dispatch.js';
import { ApiError } from '../../../core/api/errors.js';

const ROOT = join(__dirname, '..', '..', '..');

const rejection = async (p: Promise<unknown>): Promise<ApiError> => {
  try {
    await p;
  } catch (err) {
    return err as ApiError;
  }
  throw new Error('expected a rejection');
};

describe('composition root (core/services/compose.ts)', () => {
  const ctx = tempContext();
  const api = localClient(ctx);
  afterAll(() => ctx.dispose());

  it('builds the services once per context', () => {
    expect(ctx.services).toBe(ctx.services);
    expect(Object.keys(ctx.services).sort()).toEqual(['cnn', 'demo', 'experiments', 'fewerPoints', 'jominy', 'maps', 'readings', 'reports', 'sampling', 'sections']);
  });

  it('maps.predict reaches the CNN predictor it was given: a missing model is named, not "no predictor in this build"', async () => {
    const b = ctx.repos.billets.create({ name: 'wiring', nominalDiameterMm: 200 });
    const err = await rejection(api['maps.predict']({ billetId: b.id, modelId: 99 }));
    expect(err).toBeInstanceOf(ApiError);
    expect([err.code, err.message]).toEqual(['not_found', 'Model 99 does not exist']);
  });

  it('a billet without a section is refused by the sections reader with the reason, for a stored CNN model', async () => {
    const b = ctx.repos.billets.create({ name: 'no section', nominalDiameterMm: 200 });
    ctx.db
      .prepare(
        `INSERT INTO models (id, kind, name, path, architecture_json, hyper_json, seed, dataset_fingerprint, dataset_json, backend_json, metrics_json, synthetic, created_at)
         VALUES (5, 'carbon-cnn', 'cnn', 'models/5', '{"inputSize":32,"channels":1}', '{"targetScaling":{"mean":0.4,"scale":0.01}}', 1, 'x', '{}', '{}', NULL, 1, '2026-11-29T00:00:00Z')`,
      )
      .run();
    const err = await rejection(api['maps.predict']({ billetId: b.id, modelId: 5 }));
    expect([err.code, err.message]).toEqual(['failed_precondition', 'Billet "no section" has no section image: import one first (or attach patch images)']);
  });
});

/** Every .ts file under a folder of the repository. */
function sources(rel: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.ts')) out.push(p);
    }
  };
  walk(join(ROOT, rel));
  return out;
}

describe('SQL lives in core/store/repos', () => {
  it('no statement is prepared in the app, services, CLI, server or domain folders', () => {
    const offenders = ['core/app', 'core/services', 'core/cli', 'core/server', 'core/segregation', 'core/maps', 'core/imaging']
      .flatMap(sources)
      .filter((f) => /\.prepare\(/.test(readFileSync(f, 'utf8')))
      .map((f) => f.slice(ROOT.length + 1));
    expect(offenders).toEqual([]);
  });
});
