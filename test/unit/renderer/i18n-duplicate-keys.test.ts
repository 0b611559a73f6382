import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A key written twice in one object of a words catalog: JSON.parse keeps the last silently, so the first translation
 * (often the reviewed one) is never shown, and the catalogs' own tests cannot see it. Found in zh/it train.json.
 */
const root = join(import.meta.dirname, '..', '..', '..');
const catalogs = ['core/api/i18n', 'core/report/i18n', 'renderer/src/i18n'].flatMap((dir) =>
  readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json'))
    .map((f) => join(dir, f)),
);

/** Keys that repeat within one object, as "path.key" (JSON.parse cannot tell: the text is walked token by token). */
function repeatedKeys(text: string): string[] {
  const out: string[] = [];
  // a JSON tokenizer over the text: a stack of key sets, one per open object
  const stack: Array<{ keys: Set<string>; path: string } | null> = [];
  let lastString: string | null = null;
  let path = '';
  const re = /"(?:[^"\\]|\\.)*"|[{}[\]:,]/g;
  for (const m of text.matchAll(re)) {
    const tok = m[0];
    if (tok.startsWith('"')) lastString = JSON.parse(tok) as string;
    else if (tok === ':') {
      const top = stack.at(-1);
      if (top && lastString !== null) {
        if (top.keys.has(lastString)) out.push(top.path ? `${top.path}.${lastString}` : lastString);
        top.keys.add(lastString);
        path = top.path ? `${top.path}.${lastString}` : lastString;
      }
    } else if (tok === '{') stack.push({ keys: new Set(), path });
    else if (tok === '[') stack.push(null);
    else if (tok === '}' || tok === ']') {
      stack.pop();
      const top = stack.at(-1);
      path = top ? top.path : '';
    } else if (tok === ',') {
      const top = stack.at(-1);
      path = top ? top.path : '';
    }
  }
  return out;
}

describe('words catalogs', () => {
  it('finds a key written twice (the check itself)', () => {
    expect(repeatedKeys('{"a": {"x": "1", "y": "2", "x": "3"}, "b": ["x", "x"], "c": {"x": "4"}}')).toEqual(['a.x']);
  });

  it(`write every key once per object (${catalogs.length} catalogs)`, () => {
    expect(catalogs.length).toBeGreaterThan(30);
    const found = catalogs.flatMap((f) => repeatedKeys(readFileSync(join(root, f), 'utf8')).map((k) => `${f}: ${k}`));
    expect(found).toEqual([]);
  });
});
