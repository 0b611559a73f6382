import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_KINDS } from '../../../core/api/events.js';

const root = join(import.meta.dirname, '../../../renderer/src');
const files = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : /\.(svelte|ts)$/.test(n) ? [join(dir, n)] : []));

describe('data-changed kinds the renderer listens to', () => {
  it('every kind the core announces (DATA_KINDS) is listened to by the view that shows it', () => {
    const heard = new Map<string, string[]>();
    for (const f of files(root)) {
      const src = readFileSync(f, 'utf8');
      for (const m of src.matchAll(/onDataChanged\(\s*\[([^\]]*)\]/g)) {
        for (const k of m[1].matchAll(/'([a-z-]+)'/g)) heard.set(k[1], [...(heard.get(k[1]) ?? []), f.slice(root.length + 1)]);
      }
      // The billet list is app state: the one event stream refreshes it for every view.
      if (/ev\.entity === 'billet'\) void refreshBillets\(\)/.test(src)) heard.set('billet', [f.slice(root.length + 1)]);
    }
    expect([...heard.keys()].sort()).toEqual([...DATA_KINDS].sort());
    expect(heard.get('readings')).toContain('views/AnnotateView.svelte');
    expect(heard.get('points')).toContain('views/AnnotateView.svelte');
  });
});
