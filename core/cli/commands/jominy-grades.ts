import { readFileSync } from 'node:fs';
import { localClient } from '../../app/dispatch.js';
import { parseChemistryRanges } from '../../api/jominy-chemistry.js';
import { UsageError, requireString, type CliCommand } from '../command.js';
import { parseBandFile } from './jominy.js';
import { findGrade, rangesText } from './jominy-grade-lookup.js';
import { decodeCsvBytes } from '../../runtime/csv-bytes.js';

/** `ferrolab jominy grades list|add|delete`: the grade library over the jominy.grades.* contract. */

export const jominyGradeCommands: CliCommand[] = [
  {
    path: ['jominy', 'grades', 'list'],
    usage: 'ferrolab jominy grades list [--json]',
    summary: 'The grade library: chemistry ranges per element and whether a grade has an H-band',
    async run({ ctx, io }) {
      const list = await localClient(ctx!)['jominy.grades.list']({});
      io.result(list, (l) => (l.length ? l.map((g) => `${String(g.id).padStart(4)}  ${g.name}: ${rangesText(g)}${g.band ? '; H-band' : ''}`).join('\n') : 'no grades yet'));
    },
  },
  {
    path: ['jominy', 'grades', 'add'],
    usage: 'ferrolab jominy grades add --name NAME --range "C=0.38:0.43,Mn=0.75:1.0,…" [--band FILE] [--json]',
    summary: 'Add a grade (ranges in wt.%, inside the element limits; band file: lines distance_mm,min,max)',
    options: { name: { type: 'string' }, range: { type: 'string' }, band: { type: 'string' } },
    async run({ ctx, values, io }) {
      const name = requireString(values, 'name');
      const parsed = parseChemistryRanges(requireString(values, 'range'));
      if (!parsed.ok) throw new UsageError(`--range: ${parsed.errors.join('; ')}`);
      let band: { min: (number | null)[]; max: (number | null)[] } | null = null;
      if (typeof values.band === 'string') {
        let text: string;
        try {
          text = decodeCsvBytes(readFileSync(values.band), values.band);
        } catch (e) {
          throw new UsageError(`cannot read ${values.band}: ${(e as Error).message}`);
        }
        const b = parseBandFile(text);
        if (b.kind === 'band') band = { min: b.min, max: b.max };
      }
      const g = await localClient(ctx!)['jominy.grades.create']({ name, ranges: parsed.value, band });
      io.result(g, (x) => `grade ${x.id} "${x.name}": ${rangesText(x)}${x.band ? '; with H-band' : ''}`);
    },
  },
  {
    path: ['jominy', 'grades', 'delete'],
    usage: 'ferrolab jominy grades delete --grade NAME|ID',
    summary: 'Delete a grade (design sessions that used it keep their copy)',
    options: { grade: { type: 'string' } },
    async run({ ctx, values, io }) {
      const g = await findGrade(ctx!, requireString(values, 'grade'));
      await localClient(ctx!)['jominy.grades.delete']({ id: g.id });
      io.result({ deleted: g.id, name: g.name }, () => `deleted grade ${g.id} "${g.name}"`);
    },
  },
];
