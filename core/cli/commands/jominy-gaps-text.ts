import type { z } from 'zod';
import type { ElementGapsSchema, InputHeatsSchema } from '../../api/methods/jominy.js';
import { describeInputHeats } from '../../jominy/index.js';

/** Element gaps as text: heats that analysed each element (import, dataset show), and what a model did with the gaps (train, models show). */

const pct = (v: number) => `${+(100 * v).toFixed(1)} %`;

export function elementGapsText(g: z.infer<typeof ElementGapsSchema>): string[] {
  const gaps = g.elements.filter((e) => e.missing > 0);
  if (gaps.length === 0) return [`every heat analysed every element of the dataset (${g.elements.map((e) => e.element).join(' ')})`];
  return [
    `heats that analysed each element (of ${g.heats}${g.rows !== g.heats ? ` heats, ${g.rows} rows` : ''}; an empty cell is missing, never 0; a model takes an element analysed on at least ${pct(g.minShare)} of the heats, and only the heats that analysed all it takes):`,
    ...g.elements.map((e) => `  ${e.element.padEnd(3)}${String(e.measured).padStart(7)} (${pct(e.share)})${e.missing ? `, ${e.missing} missing` : ''}${e.input ? '' : ' — not a model input'}`),
  ];
}

export function inputHeatsText(p: z.infer<typeof InputHeatsSchema> | null | undefined): string[] {
  if (!p) return [];
  const lines = describeInputHeats(p);
  return lines.length ? lines.map((l) => `element gaps: ${l}`) : [`element gaps: none; every one of the ${p.datasetHeats} heats analysed every input element`];
}
