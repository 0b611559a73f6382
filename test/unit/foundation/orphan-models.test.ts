import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAppContext } from '../../../core/app/context.js';
import { createJominyRepo } from '../../../core/store/repos/jominy-repo.js';
import { tempDir } from '../../helpers/temp.js';

/** A pid that surely belonged to a process that has ended. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

describe('models/ leftovers of saves killed before their row committed', () => {
  it('are moved aside (folders and Jominy files without a row) or removed (dead partial writes) when the folder opens; stored models and live writes stay', async () => {
    const t = tempDir();
    const first = createAppContext({ dataDir: t.dir, shell: 'cli' });
    const kept = createJominyRepo(first.db).insertModel({
      name: 'kept', path: 'models/jominy-kept.json', architecture: [], hyper: {}, seed: 1, fingerprint: 'f', dataset: {}, backend: {}, history: [], metrics: {}, synthetic: true,
    });
    const models = first.paths.models;
    writeFileSync(join(models, 'jominy-kept.json'), '{"kept":true}');
    mkdirSync(join(models, '7')); // a CNN save killed between renaming its folder into place and its COMMIT
    writeFileSync(join(models, '7', 'model.json'), '{}');
    writeFileSync(join(models, 'jominy-orphan.json'), '{}'); // the same for a Jominy predictor
    const dead = `8.partial-${deadPid()}-1`;
    mkdirSync(join(models, dead)); // a write killed half-way
    const live = `9.partial-${process.pid}-1`;
    mkdirSync(join(models, live)); // a write still going on in a live process
    await first.close();

    const again = createAppContext({ dataDir: t.dir, shell: 'cli' });
    const names = readdirSync(again.paths.models).sort();
    expect(names.filter((n) => !n.startsWith('.'))).toEqual([live, 'jominy-kept.json'].sort());
    expect(names.filter((n) => n.startsWith('.stray-7-'))).toHaveLength(1);
    expect(names.filter((n) => n.startsWith('.stray-jominy-orphan.json-'))).toHaveLength(1);
    expect(existsSync(join(again.paths.models, dead))).toBe(false);
    expect(createJominyRepo(again.db).getModel(kept).path).toBe('models/jominy-kept.json');
    await again.close();
    t.cleanup();
  });
});

describe('images/ leftovers of billet imports killed before their rows committed', () => {
  it('are removed when the folder opens if older than the opening process; a younger one (an import of a live process) stays', async () => {
    const { utimesSync } = await import('node:fs');
    const { PROCESS_STARTED_MS } = await import('../../../core/runtime/temp-leftovers.js');
    const t = tempDir();
    const first = createAppContext({ dataDir: t.dir, shell: 'cli' });
    const images = first.paths.images;
    await first.close();
    const killed = 'a'.repeat(64);
    const young = 'b'.repeat(64);
    for (const h of [killed, young]) {
      mkdirSync(join(images, h));
      writeFileSync(join(images, h, 'section.json'), '{}');
    }
    const before = new Date(PROCESS_STARTED_MS - 60_000);
    utimesSync(join(images, killed), before, before);
    const again = createAppContext({ dataDir: t.dir, shell: 'cli' });
    expect(existsSync(join(images, killed))).toBe(false);
    expect(existsSync(join(images, young, 'section.json'))).toBe(true);
    await again.close();
    t.cleanup();
  });
});
