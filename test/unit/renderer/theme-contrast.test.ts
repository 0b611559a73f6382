import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * Text contrast of the light and dark palettes (renderer/src/app.css) against WCAG 2.x AA: every text colour on
 * every background it is drawn on reaches 4.5:1. The palettes are read from the stylesheet itself, so a colour
 * changed there is checked here.
 */
const css = readFileSync(new URL('../../../renderer/src/app.css', import.meta.url), 'utf8');

function block(selector: string): Record<string, string> {
  const start = css.indexOf(`${selector} {`);
  if (start < 0) throw new Error(`no "${selector}" block in app.css`);
  const body = css.slice(start, css.indexOf('}', start));
  return Object.fromEntries([...body.matchAll(/--([a-z0-9-]+):\s*(#[0-9a-fA-F]{6})\s*;/g)].map((m) => [m[1], m[2]]));
}

function luminance(hex: string): number {
  const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}

export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** [text, background] as the components draw them. */
const PAIRS: [string, string][] = [
  ['ink', 'bg'], ['ink', 'panel'], ['ink', 'input-bg'], ['ink', 'sel-bg'],
  ['muted', 'bg'], ['muted', 'panel'], ['muted', 'sel-bg'],
  ['accent', 'panel'], ['accent', 'bg'], ['accent-ink', 'accent'],
  ['danger', 'panel'], ['danger', 'bg'], ['danger', 'danger-bg'],
  ['warn', 'panel'], ['warn', 'warn-bg'], ['ok', 'panel'],
  ['nav-ink', 'nav-bg'], ['nav-strong', 'nav-active'], ['nav-ink', 'nav-hover'], ['nav-muted', 'nav-bg'],
  ['chart-ink', 'panel'], ['chart-1', 'panel'], ['chart-2', 'panel'], ['chart-3', 'panel'],
];

describe('palette contrast (WCAG AA)', () => {
  it('computes the WCAG ratio (black on white is 21, grey #767676 on white is 4.54)', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
  });

  for (const [theme, selector] of [['light', ':root'], ['dark', ":root[data-theme='dark']"]] as const) {
    it(`${theme}: every text/background pair is at least 4.5:1`, () => {
      const p = block(selector);
      const failing: string[] = [];
      for (const [fg, bg] of PAIRS) {
        expect(p[fg], `--${fg} in the ${theme} palette`).toMatch(/^#/);
        expect(p[bg], `--${bg} in the ${theme} palette`).toMatch(/^#/);
        const r = contrast(p[fg], p[bg]);
        if (r < 4.5) failing.push(`--${fg} ${p[fg]} on --${bg} ${p[bg]}: ${r.toFixed(2)}`);
      }
      expect(failing).toEqual([]);
    });
  }

  /** Graphics [colour, background]: chart series and the focus ring must be told from the panel (WCAG 1.4.11, 3:1). */
  const GRAPHICS: [string, string][] = [
    ['chart-1', 'panel'], ['chart-2', 'panel'], ['chart-3', 'panel'], ['chart-4', 'panel'], ['chart-5', 'panel'],
    ['chart-muted', 'panel'], ['focus', 'panel'], ['focus', 'bg'], ['focus', 'input-bg'],
  ];
  for (const [theme, selector] of [['light', ':root'], ['dark', ":root[data-theme='dark']"]] as const) {
    it(`${theme}: chart series and the focus ring reach 3:1 against what they are drawn on`, () => {
      const p = block(selector);
      const failing = GRAPHICS.filter(([fg, bg]) => contrast(p[fg], p[bg]) < 3).map(([fg, bg]) => `--${fg} ${p[fg]} on --${bg} ${p[bg]}: ${contrast(p[fg], p[bg]).toFixed(2)}`);
      expect(failing).toEqual([]);
    });
  }

  it('the dark palette redefines every colour of the light one', () => {
    expect(Object.keys(block(":root[data-theme='dark']")).sort()).toEqual(Object.keys(block(':root')).sort());
  });
});
