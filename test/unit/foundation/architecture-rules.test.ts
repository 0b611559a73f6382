import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { createRequire } from 'node:module';

const root = resolve(import.meta.dirname, '../../..');
const script = join(root, 'scripts/architecture-rules.js');

function check(doc: string): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [script, '--check', '--doc', doc], { encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}

describe('ARCHITECTURE.md layer rules', () => {
  it('the generated section matches .dependency-cruiser.cjs', () => {
    const r = check(join(root, 'ARCHITECTURE.md'));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('names every rule of the config in the document', () => {
    const config = createRequire(import.meta.url)(join(root, '.dependency-cruiser.cjs')) as { forbidden: Array<{ name: string; severity: string }> };
    const names = config.forbidden.map((r) => r.name);
    expect(config.forbidden.every((r) => r.severity === 'error')).toBe(true);
    expect(names).toContain('no-circular');
    expect(names).toContain('domain-takes-plain-data');
    const doc = readFileSync(join(root, 'ARCHITECTURE.md'), 'utf8');
    for (const n of names) expect(doc).toContain(`| \`${n}\` |`);
  });

  it('fails when a rule row is edited by hand or the markers are gone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'arch-rules-'));
    const doc = readFileSync(join(root, 'ARCHITECTURE.md'), 'utf8');
    const edited = join(dir, 'edited.md');
    writeFileSync(edited, doc.replace('No circular imports anywhere', 'Circular imports are fine'));
    const r = check(edited);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/differs from \.dependency-cruiser\.cjs/);
    const bare = join(dir, 'bare.md');
    writeFileSync(bare, doc.replace(/<!-- layer-rules:begin[^]*<!-- layer-rules:end -->/, ''));
    expect(check(bare).status).toBe(1);
  });

  // The svelte compiler drops `import type` before dependency-cruiser sees a .svelte file, so the rule
  // "renderer imports from core/ only core/api" is also checked here on the source text.
  it('svelte files import from core/ only core/api', () => {
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.svelte')) {
          for (const m of readFileSync(p, 'utf8').matchAll(/from\s+'([^']*\/core\/[^']*)'/g)) {
            const target = relative(root, resolve(dir, m[1]));
            if (!target.startsWith('core/api/')) offenders.push(`${relative(root, p)} → ${target}`);
          }
        }
      }
    };
    walk(join(root, 'renderer/src'));
    expect(offenders).toEqual([]);
  });
});
