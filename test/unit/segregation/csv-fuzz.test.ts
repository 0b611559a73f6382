import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempContext } from '../../helpers/temp.js';
import { localClient } from '../../../core/app/dispatch.js';
import { ApiError } from '../../../core/api/errors.js';
import { mulberry32 } from '../../../core/runtime/random.js';
import { layoutPoints, makeLabelMatcher } from '../../../core/segregation/index.js';
import { generateSynthetic } from '../../../core/jominy/synth.js';
import { writeJominyCsv } from '../../../core/jominy/csv.js';
import { DISTANCES_MM, ELEMENTS, ELEMENT_LIMITS, HRC_MAX, HRC_MIN } from '../../../core/jominy/elements.js';

/**
 * Issue 9: a few hundred seeded mutations of valid readings and Jominy CSVs, each through the real import
 * path (contract dispatch → handler → repos → SQLite in a real data folder). For every file:
 *  - no crash: the import either returns or throws an ApiError, nothing else;
 *  - no partial import: the rows stored are all of the file's rows or none;
 *  - every stored value equals an independent strict reading of the file (the oracle below: its own
 *    CSV tokenizer and its own decimal reader, not the product's). Where the oracle refuses a file, the
 *    import must refuse it too. (The importer may refuse more: a truncated last line, a unit conflict.)
 */

const SEED = 0x9f2c;
const READINGS_CASES = 320;
const JOMINY_CASES = 200;

// ---------------------------------------------------------------- the oracle: an independent strict reading

type Mark = '.' | ',';
const MIN_NORMAL = 2.2250738585072014e-308;

/** A decimal written plainly: digits, an optional fraction with digits, an optional exponent. Else null. */
function strictRead(text: string, mark: Mark): number | null {
  const t = text.trim();
  const re = mark === '.' ? /^([+-]?\d+(?:\.\d+)?)(?:[eE][+-]?\d+)?$/ : /^([+-]?\d+(?:,\d+)?)(?:[eE][+-]?\d+)?$/;
  const m = re.exec(t);
  if (!m) return null;
  const n = Number(mark === ',' ? t.replace(',', '.') : t);
  if (!Number.isFinite(n)) return null;
  if (n === 0 && /[1-9]/.test(m[1])) return null; // underflow to 0
  if (n !== 0 && Math.abs(n) < MIN_NORMAL) return null; // subnormal: digits lost
  return n;
}

/** The one mark of a set of cells: ',' only without a comma delimiter; cells disagreeing → null (refuse). */
function oneMark(cells: string[], delimiter: string): Mark | null {
  if (delimiter === ',') return '.';
  const marks = new Set<Mark>();
  for (const c of cells) {
    const t = c.trim();
    if (/^[+-]?\d+,\d/.test(t)) marks.add(',');
    else if (/^[+-]?\d+\.\d/.test(t)) marks.add('.');
  }
  if (marks.size > 1) return null;
  return marks.has(',') ? ',' : '.';
}

/** RFC 4180 fields of a text (quotes only at the start of a field, "" inside); null when the quoting is broken. */
function tokenize(text: string, delimiter: string): string[][] | null {
  const records: string[][] = [];
  let i = 0;
  const n = text.length;
  const isNl = (c: string | undefined) => c === '\n' || c === '\r';
  while (i < n) {
    const fields: string[] = [];
    for (;;) {
      let val = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= n) return null; // unclosed quote
          if (text[i] === '"') {
            if (text[i + 1] === '"') { val += '"'; i += 2; continue; }
            i++;
            break;
          }
          val += text[i++];
        }
        if (!(i >= n || text[i] === delimiter || isNl(text[i]))) return null; // text after a closing quote
      } else {
        while (i < n && text[i] !== delimiter && !isNl(text[i])) val += text[i++];
      }
      fields.push(val);
      if (text[i] === delimiter) { i++; continue; }
      break;
    }
    if (text[i] === '\r' && text[i + 1] === '\n') i += 2;
    else if (isNl(text[i])) i++;
    records.push(fields);
  }
  return records;
}

function decode(bytes: Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder('windows-1252').decode(bytes);
  }
  return text.replace(/^\uFEFF/, '');
}

interface ReadingsSpec {
  name: string;
  text: string;
  delimiter: ',' | ';' | '\t';
  labelCol: number;
  carbonCol: number;
  repCol: number;
  unit: 'wt_pct' | 'ppm';
  replicates: boolean;
}

const labels = Array.from({ length: 85 }, (_, i) => `P${String(i + 1).padStart(2, '0')}`);
const matchLabel = makeLabelMatcher(labels);

/** What a strict reader stores for this file: [label, wt.%] per row, or null when the file must be refused. */
function oracleReadings(bytes: Uint8Array, spec: ReadingsSpec, headers: string[]): [string, number][] | null {
  const records = tokenize(decode(bytes), spec.delimiter);
  if (!records) return null;
  const h = records.findIndex((r) => r.length === headers.length && r.every((c, k) => c.trim() === headers[k]));
  if (h < 0) return null;
  const rows = records.slice(h + 1).filter((r) => r.some((c) => c.trim() !== ''));
  if (rows.length === 0) return null;
  if (rows.some((r) => r.length !== headers.length)) return null;
  const mark = oneMark(rows.map((r) => r[spec.carbonCol]!), spec.delimiter);
  if (!mark) return null;
  const out: [string, number][] = [];
  const seen = new Set<string>();
  const perLabel = new Map<string, number>();
  for (const r of rows) {
    const label = matchLabel(r[spec.labelCol]!.trim());
    if (!label) return null;
    const v = strictRead(r[spec.carbonCol]!, mark);
    if (v === null) return null;
    const wt = spec.unit === 'ppm' ? v / 10_000 : v;
    if (!(wt >= 0 && wt <= 2.5)) return null;
    const count = (perLabel.get(label) ?? 0) + 1;
    perLabel.set(label, count);
    if (count > 20) return null;
    if (spec.repCol >= 0) {
      const rep = r[spec.repCol]!.trim();
      if (!/^\d+$/.test(rep) || Number(rep) < 1 || Number(rep) > 20) return null;
      if (seen.has(`${label}#${Number(rep)}`)) return null;
      seen.add(`${label}#${Number(rep)}`);
    } else if (count > 1 && !spec.replicates) return null;
    out.push([label, wt]);
  }
  return out;
}

interface JominyRow { chemistry: number[]; hardness: number[] }

/** The heats a strict reader stores for this Jominy file, or null when it must be refused. */
function oracleJominy(bytes: Uint8Array, delimiter: ',' | ';', baseHeader: string[]): JominyRow[] | null {
  const text = Buffer.from(bytes).toString('utf8').replace(/^\uFEFF/, '');
  const lines = text.split(/\r\n|\n|\r/).filter((l) => !l.trim().startsWith('#') && !/^[,;\t\s]*$/.test(l.trim()));
  if (lines.length < 2) return null;
  const records: string[][] = [];
  for (const l of lines) {
    const t = tokenize(l, delimiter);
    if (!t || t.length !== 1) return null;
    records.push(t[0]!);
  }
  const header = records[0]!;
  if (header.length !== baseHeader.length || header.some((c, k) => c.trim().toLowerCase().replace(',', '.') !== baseHeader[k]!.toLowerCase())) return null;
  const rows = records.slice(1);
  if (rows.some((r) => r.length !== header.length)) return null;
  const firstEl = baseHeader.indexOf(ELEMENTS[0]);
  const firstJ = baseHeader.indexOf(`J${DISTANCES_MM[0]}`);
  const grainCol = baseHeader.indexOf('grain_size');
  const numeric = rows.flatMap((r) => [...r.slice(firstEl, firstEl + ELEMENTS.length), ...r.slice(firstJ, firstJ + DISTANCES_MM.length), r[grainCol]!]);
  const mark = oneMark(numeric, delimiter);
  if (!mark) return null;
  const out: JominyRow[] = [];
  for (const r of rows) {
    const chemistry: number[] = [];
    for (let e = 0; e < ELEMENTS.length; e++) {
      const v = strictRead(r[firstEl + e]!, mark);
      if (v === null || v < 0 || v > ELEMENT_LIMITS[ELEMENTS[e]!]) return null;
      chemistry.push(v);
    }
    const hardness: number[] = [];
    for (let j = 0; j < DISTANCES_MM.length; j++) {
      const v = strictRead(r[firstJ + j]!, mark);
      if (v === null || v < HRC_MIN || v > HRC_MAX) return null;
      hardness.push(v);
    }
    const g = r[grainCol]!.trim();
    if (g !== '') {
      const v = strictRead(g, mark);
      if (v === null || v < 1 || v > 14) return null;
    }
    out.push({ chemistry, hardness });
  }
  return out;
}

// ---------------------------------------------------------------- base files

function baseReadings(): ReadingsSpec[] {
  const rng = mulberry32(SEED + 1);
  const val = () => (0.3 + rng.next() * 0.4).toFixed(3);
  const pick = (k: number) => labels.filter((_, i) => i % 7 === k % 7).slice(0, 12);
  // positions as the fuzz billet has them (Ø600 hex85): the importer compares a file's x, y with the points'
  const at = new Map(layoutPoints({ diameterMm: 600 }).map((p) => [p.label, p]));
  const xy = (l: string, digits: number) => `${at.get(l)!.xMm.toFixed(digits)},${at.get(l)!.yMm.toFixed(digits)}`;
  const synth = ['label,x_mm,y_mm,carbon_wt_pct', ...pick(0).map((l) => `${l},${xy(l, 2)},${val()}`)].join('\n') + '\n';
  const eltra = ['ELTRA CS-2000 export', 'Method;Steel low C', '', 'Sample name;Weight [g];C [%];S [%];Date',
    ...pick(1).map((l) => `${l};0,5${Math.floor(rng.next() * 900 + 100)};${val().replace('.', ',')};0,012;2026-11-20`)].join('\r\n') + '\r\n';
  const exported = ['label,x_mm,y_mm,replicate,carbon_wt_pct,analyzer,operator,measured_at',
    ...pick(2).slice(0, 6).flatMap((l) => [1, 2, 3].map((rep) => `${l},${xy(l, 3)},${rep},${val()},CS-2000,AK,2026-11-20`))].join('\r\n') + '\r\n';
  const ppm = ['Sample;C [ppm]', ...pick(3).slice(0, 6).flatMap((l) => [0, 1].map(() => `${l};${Math.floor(3000 + rng.next() * 3000)}`))].join('\n') + '\n';
  const tab = ['Point\tC', ...pick(4).map((l) => `${l}\t${val()}`)].join('\n') + '\n';
  return [
    { name: 'synth', text: synth, delimiter: ',', labelCol: 0, carbonCol: 3, repCol: -1, unit: 'wt_pct', replicates: false },
    { name: 'eltra', text: eltra, delimiter: ';', labelCol: 0, carbonCol: 2, repCol: -1, unit: 'wt_pct', replicates: false },
    { name: 'export', text: exported, delimiter: ',', labelCol: 0, carbonCol: 4, repCol: 3, unit: 'wt_pct', replicates: false },
    { name: 'ppm-replicates', text: ppm, delimiter: ';', labelCol: 0, carbonCol: 1, repCol: -1, unit: 'ppm', replicates: true },
    { name: 'tab', text: tab, delimiter: '\t', labelCol: 0, carbonCol: 1, repCol: -1, unit: 'wt_pct', replicates: false },
  ];
}

function baseJominy(): { name: string; text: string; delimiter: ',' | ';'; header: string[] }[] {
  const samples = generateSynthetic({ n: 6, seed: 11 });
  const comma = writeJominyCsv(samples, { synthetic: 'fuzz base', seed: '11' });
  const lines = comma.split('\n');
  const headerIdx = lines.findIndex((l) => l.startsWith('heat_id'));
  const header = lines[headerIdx]!.split(',');
  const semicolon = lines.map((l, i) => (i <= headerIdx || l === '' ? l.replace(/,/g, ';') : l.replace(/,/g, ';').replace(/(\d)\.(\d)/g, '$1,$2'))).join('\n');
  return [
    { name: 'jominy-comma', text: comma, delimiter: ',', header },
    { name: 'jominy-semicolon', text: semicolon, delimiter: ';', header },
  ];
}

// ---------------------------------------------------------------- mutations

type Rng = () => number;
const NUMBER = /[-+]?\d+(?:[.,]\d+)?(?:[eE][-+]?\d+)?/g;
const EXTREMES = ['1e-400', '4.9e-324', '1e308', '1e309', '2.2250738585072014e-308', '4.52e-1', '0.', '.5', '-0', '+0.45', '1_0', 'Infinity', 'NaN', '0.4520000000000000000001', '0', '00.45', '0x37', '0b0', '0o7', '0X1F', '1,234.5', '١٢'];

function replaceNumber(bytes: Buffer, rnd: Rng, make: (old: string) => string): Buffer {
  const text = bytes.toString('latin1');
  const hits = [...text.matchAll(NUMBER)];
  if (!hits.length) return bytes;
  const m = hits[Math.floor(rnd() * hits.length)]!;
  return Buffer.from(text.slice(0, m.index) + make(m[0]) + text.slice(m.index! + m[0].length), 'latin1');
}

const MUTATIONS: Record<string, (b: Buffer, rnd: Rng) => Buffer> = {
  byteFlip(b, rnd) {
    const out = Buffer.from(b);
    const k = Math.floor(rnd() * out.length);
    out[k] = out[k]! ^ (1 << Math.floor(rnd() * 8));
    return out;
  },
  insertChar(b, rnd) {
    const chars = [',', ';', '\t', '"', '.', '-', 'e', '0', ' ', '\n', ',,'];
    const c = chars[Math.floor(rnd() * chars.length)]!;
    const k = Math.floor(rnd() * (b.length + 1));
    return Buffer.concat([b.subarray(0, k), Buffer.from(c), b.subarray(k)]);
  },
  quoteField(b, rnd) {
    return replaceNumber(b, rnd, (old) => (rnd() < 0.5 ? `"${old}"` : `"${old}`));
  },
  truncate(b, rnd) {
    return b.subarray(0, 1 + Math.floor(rnd() * (b.length - 1)));
  },
  decimalCommaOne(b, rnd) {
    return replaceNumber(b, rnd, (old) => old.replace('.', ','));
  },
  decimalCommaAll(b) {
    return Buffer.from(b.toString('latin1').replace(/(\d)\.(\d)/g, '$1,$2'), 'latin1');
  },
  decimalPointAll(b) {
    return Buffer.from(b.toString('latin1').replace(/(\d),(\d)/g, '$1.$2'), 'latin1');
  },
  extremeValue(b, rnd) {
    return replaceNumber(b, rnd, () => EXTREMES[Math.floor(rnd() * EXTREMES.length)]!);
  },
  hexValue(b, rnd) {
    return replaceNumber(b, rnd, (old) => `0x${Math.max(1, Math.floor(Number(old.replace(',', '.')) || 55)).toString(16)}`);
  },
  duplicateLine(b, rnd) {
    const lines = b.toString('latin1').split('\n');
    const k = Math.floor(rnd() * lines.length);
    lines.splice(k, 0, lines[k]!);
    return Buffer.from(lines.join('\n'), 'latin1');
  },
  deleteLine(b, rnd) {
    const lines = b.toString('latin1').split('\n');
    lines.splice(Math.floor(rnd() * lines.length), 1);
    return Buffer.from(lines.join('\n'), 'latin1');
  },
  bom(b) {
    return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b]);
  },
  crlf(b) {
    return Buffer.from(b.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
  },
  dropTrailingNewline(b) {
    return Buffer.from(b.toString('latin1').replace(/[\r\n]+$/, ''), 'latin1');
  },
};
const MUTATION_NAMES = Object.keys(MUTATIONS);

function mutate(base: string, rnd: Rng): { bytes: Buffer; applied: string[] } {
  let bytes: Buffer = Buffer.from(base, 'utf8');
  const applied: string[] = [];
  const n = 1 + Math.floor(rnd() * 3);
  for (let i = 0; i < n; i++) {
    const name = MUTATION_NAMES[Math.floor(rnd() * MUTATION_NAMES.length)]!;
    bytes = MUTATIONS[name]!(bytes, rnd);
    applied.push(name);
  }
  return { bytes, applied };
}

// ---------------------------------------------------------------- the real import path

const ctx = tempContext();
const api = localClient(ctx);
let billetId = 0;
beforeAll(async () => {
  billetId = (await api['billets.create']({ name: 'Fuzz billet', nominalDiameterMm: 600 })).id;
  await api['points.layout']({ billetId });
});
afterAll(() => ctx.dispose());

const storedReadings = () =>
  ctx.db.prepare('SELECT p.label AS label, r.carbon_wt_pct AS c FROM carbon_readings r JOIN sampling_points p ON p.id = r.point_id').all() as { label: string; c: number }[];
const sortPairs = (x: [string, number][]) => x.map(([l, v]) => `${l}=${v === 0 ? 0 : v}`).sort();

/** Runs a call; returns its value, or the ApiError it refused with. Any other throw is a crash: rethrown. */
async function attempt<T>(p: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: ApiError }> {
  try {
    return { ok: true, value: await p };
  } catch (err) {
    if (err instanceof ApiError) return { ok: false, error: err };
    throw err;
  }
}

describe('fuzzed CSVs through the real import path (issue 9)', () => {
  it(`${READINGS_CASES} mutated readings CSVs: no crash, all-or-nothing, stored = strict reading`, async () => {
    const rng = mulberry32(SEED);
    const rnd = () => rng.next();
    const bases = baseReadings();
    const counts = { files: 0, refused: 0, imported: 0, oracleRefused: 0, importerStricter: 0 };
    for (let c = 0; c < READINGS_CASES; c++) {
      const spec = bases[c % bases.length]!;
      const { bytes, applied } = c < bases.length ? { bytes: Buffer.from(spec.text), applied: ['none'] } : mutate(spec.text, rnd);
      const where = `case ${c} (${spec.name}: ${applied.join(' + ')}): ${JSON.stringify(bytes.toString('latin1'))}`;
      ctx.db.prepare('DELETE FROM carbon_readings').run();
      const upload = { uploadId: ctx.uploads.saveBytes(bytes), name: `fuzz-${c}.csv` };
      const args = { billetId, upload, unit: spec.unit, replicates: spec.replicates };
      const preview = await attempt(api['readings.previewCsv'](args));
      const result = await attempt(api['readings.importCsv']({ ...args, mode: 'replace' }));
      ctx.uploads.remove(upload.uploadId);
      counts.files++;
      const stored = storedReadings();
      const oracle = preview.ok ? oracleReadings(bytes, spec, preview.value.headers) : null;
      if (oracle === null) counts.oracleRefused++;
      if (!result.ok) {
        counts.refused++;
        expect(stored, `${where}: refused, yet rows were stored`).toEqual([]);
        if (preview.ok) expect(preview.value.ok, `${where}: preview said ok, import refused: ${result.error.message}`).toBe(false);
        if (oracle !== null) counts.importerStricter++;
        continue;
      }
      counts.imported++;
      expect(oracle, `${where}: imported ${result.value.imported} rows from a file a strict reading refuses`).not.toBeNull();
      expect(preview.ok && preview.value.ok, `${where}: imported although the preview refused`).toBe(true);
      expect(stored.length, `${where}: partial import`).toBe(result.value.imported);
      expect(stored.length, `${where}: not every row of the file was stored`).toBe(oracle!.length);
      expect(sortPairs(stored.map((s) => [s.label, s.c])), `${where}: stored values differ from the file`).toEqual(sortPairs(oracle!));
    }
    console.log(`readings fuzz: ${JSON.stringify(counts)}`);
    expect(counts.files).toBe(READINGS_CASES);
    expect(counts.imported).toBeGreaterThan(40);
    expect(counts.refused).toBeGreaterThan(READINGS_CASES / 3);
  });

  it(`${JOMINY_CASES} mutated Jominy CSVs: no crash, all-or-nothing, stored = strict reading`, async () => {
    const rng = mulberry32(SEED + 2);
    const rnd = () => rng.next();
    const bases = baseJominy();
    const counts = { files: 0, refused: 0, imported: 0, oracleRefused: 0, importerStricter: 0 };
    const datasetCount = () => (ctx.db.prepare('SELECT COUNT(*) AS n FROM jominy_datasets').get() as { n: number }).n;
    const sampleCount = () => (ctx.db.prepare('SELECT COUNT(*) AS n FROM jominy_samples').get() as { n: number }).n;
    for (let c = 0; c < JOMINY_CASES; c++) {
      const base = bases[c % bases.length]!;
      const { bytes, applied } = c < bases.length ? { bytes: Buffer.from(base.text), applied: ['none'] } : mutate(base.text, rnd);
      const where = `case ${c} (${base.name}: ${applied.join(' + ')}): ${JSON.stringify(bytes.toString('latin1'))}`;
      const [ds0, s0] = [datasetCount(), sampleCount()];
      const upload = { uploadId: ctx.uploads.saveBytes(bytes), name: `fuzz-${c}.csv` };
      const result = await attempt(api['jominy.datasets.import']({ upload }));
      ctx.uploads.remove(upload.uploadId);
      counts.files++;
      const oracle = oracleJominy(bytes, base.delimiter, base.header);
      if (oracle === null) counts.oracleRefused++;
      if (!result.ok) {
        counts.refused++;
        expect([datasetCount(), sampleCount()], `${where}: refused, yet rows were stored`).toEqual([ds0, s0]);
        if (oracle !== null) counts.importerStricter++;
        continue;
      }
      counts.imported++;
      expect(oracle, `${where}: imported a file a strict reading refuses`).not.toBeNull();
      expect([datasetCount(), sampleCount()], `${where}: partial import`).toEqual([ds0 + 1, s0 + oracle!.length]);
      const rows = ctx.db.prepare('SELECT chemistry_json AS c, hardness_json AS h FROM jominy_samples WHERE dataset_id = ? ORDER BY id').all(result.value.id) as { c: string; h: string }[];
      const stored = rows.map((r) => ({ chemistry: ELEMENTS.map((el) => (JSON.parse(r.c) as Record<string, number>)[el]!), hardness: JSON.parse(r.h) as number[] }));
      expect(stored, `${where}: stored values differ from the file`).toEqual(oracle!.map((o) => ({ chemistry: o.chemistry.map((v) => (v === 0 ? 0 : v)), hardness: o.hardness })));
    }
    console.log(`jominy fuzz: ${JSON.stringify(counts)}`);
    expect(counts.files).toBe(JOMINY_CASES);
    expect(counts.imported).toBeGreaterThan(20);
    expect(counts.refused).toBeGreaterThan(JOMINY_CASES / 3);
  });
});
