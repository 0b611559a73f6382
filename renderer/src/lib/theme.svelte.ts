import { Chart } from 'chart.js';
import type { ThemeChoice } from '../../../core/api/index';
import { call } from './api';
import { oneAfterAnother } from './last-request';

/**
 * Light and dark themes (issue 15). The palette is CSS variables in app.css: `:root` is light,
 * `:root[data-theme='dark']` dark. This module resolves the user's choice (stored in the data folder's settings:
 * system, light or dark) to one of the two and writes it on <html>; "system" follows prefers-color-scheme,
 * live. Charts read their colours from the same variables (cssColor) and redraw when `theme.resolved` changes.
 */
export const theme = $state({ choice: 'system' as ThemeChoice, resolved: 'light' as 'light' | 'dark' });

const media = typeof matchMedia === 'undefined' ? null : matchMedia('(prefers-color-scheme: dark)');

/** A palette colour as the current theme defines it ("--chart-1" → "#1f5fa8"), for canvas drawing. */
export function cssColor(name: string): string {
  void theme.resolved; // callers inside effects re-run on a theme switch
  if (typeof document === 'undefined') return '#000000';
  return getComputedStyle(document.documentElement).getPropertyValue(`--${name}`).trim() || '#000000';
}

function apply(): void {
  theme.resolved = theme.choice === 'system' ? (media?.matches ? 'dark' : 'light') : theme.choice;
  document.documentElement.dataset.theme = theme.resolved;
  // Axis text and grid lines of every chart: chart.js's defaults are dark grey on transparent.
  Chart.defaults.color = cssColor('muted');
  Chart.defaults.borderColor = cssColor('chart-grid');
  for (const c of Object.values(Chart.instances)) c.update();
}

media?.addEventListener('change', () => {
  if (theme.choice === 'system') apply();
});

/**
 * The stored choice's read and every new choice, one after another: the answer applied last is the one to the last
 * request (two quick choices, or a choice made before the start's read came back, landed in either order).
 */
const inOrder = oneAfterAnother();

/** Applies the stored choice; until it arrives the OS's scheme is used. */
export async function loadTheme(): Promise<void> {
  apply();
  const p = await inOrder(() => call('ui.preferences', {}));
  theme.choice = p.theme;
  apply();
}

export async function chooseTheme(choice: ThemeChoice): Promise<void> {
  const p = await inOrder(() => call('ui.setTheme', { theme: choice }));
  theme.choice = p.theme;
  apply();
}
