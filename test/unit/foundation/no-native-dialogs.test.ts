import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Native dialogs are out of the renderer for good: Electron does not implement window.prompt (renaming
 * a design session failed in the desktop app), and alert/confirm block the page and cannot be labelled
 * or styled. Questions go through renderer/src/components/dialog (askText / askConfirm).
 */
const SRC = join(process.cwd(), 'renderer', 'src');
/** A call of prompt/confirm/alert, bare or through window/globalThis/self; not askConfirm( or x.confirm(. */
const NATIVE_DIALOG_CALL = /(?<![\w$.])(?:(?:window|globalThis|self)\s*\.\s*)?(?:prompt|confirm|alert)\s*\(/g;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.(svelte|ts|js)$/.test(e.name) ? [p] : [];
  });
}

describe('renderer has no native dialogs', () => {
  it('the pattern finds the calls it must and leaves the app dialog alone', () => {
    const hits = (s: string) => [...s.matchAll(NATIVE_DIALOG_CALL)].map((m) => m[0]);
    expect(hits("const n = prompt('New name', old);")).toEqual(['prompt(']);
    expect(hits('if (!confirm(`Delete?`)) return;')).toEqual(['confirm(']);
    expect(hits('window.alert ("x"); globalThis.confirm("y")')).toEqual(['window.alert (', 'globalThis.confirm(']);
    expect(hits('await askConfirm({ title }); await askText({}); form.confirm(); onconfirm()')).toEqual([]);
  });

  it('no prompt(), confirm() or alert() anywhere in renderer/src', () => {
    const files = sources(SRC);
    expect(files.length).toBeGreaterThan(20);
    const found: string[] = [];
    for (const f of files) {
      readFileSync(f, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (NATIVE_DIALOG_CALL.test(line)) found.push(`${relative(process.cwd(), f)}:${i + 1}: ${line.trim()}`);
          NATIVE_DIALOG_CALL.lastIndex = 0;
        });
    }
    expect(found).toEqual([]);
  });
});
