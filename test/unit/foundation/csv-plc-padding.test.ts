import { beforeAll, describe, expect, it } from 'vitest';
import { apiSession, refusal } from '../../helpers/api-session.js';
import { DISTANCES_MM, ELEMENTS } from '../../../core/jominy/elements.js';

// Task 27-D: instrument and PLC exports pad a file to a block size with NUL bytes. A file whose last line has no line
// break before that padding was refused as a copy cut short ("csvBytes.cutShort"), though with a break before the
// padding it was read: the readings and Jominy imports below fail before. A last line that is really cut short is
// still refused by the importer's own check, as in a file without padding, and a NUL inside the data names its line,
// column and value. Each file is given as its exact bytes.

const { ctx, api } = apiSession();
const upload = (bytes: Buffer, name: string) => ({ uploadId: ctx.uploads.saveBytes(bytes), name });
/** The text's bytes padded with NULs to `size` bytes, as a PLC writing fixed 64-byte blocks leaves them. */
const padded = (text: Buffer, size: number): Buffer => {
  expect(text.length).toBeLessThan(size);
  return Buffer.concat([text, Buffer.alloc(size - text.length)]);
};
const utf16le = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
const utf16be = (text: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);

describe('readings CSV: NUL padding after a last line without its line break (task 27-D)', () => {
  let billetId = 0;
  const stored = async () => (await api['points.list']({ billetId })).points.filter((p) => p.n > 0).map((p) => [p.label, p.readings.map((r) => r.carbonWtPct)]);
  beforeAll(async () => {
    billetId = (await api['billets.create']({ name: 'PLC 1', nominalDiameterMm: 150 })).id;
    await api['points.layout']({ billetId });
  });

  it('reads a UTF-8 file padded to 64 bytes after "P02;0,44" (no final line break)', async () => {
    const bytes = padded(Buffer.from('label;C [%]\r\nP01;0,45\r\nP02;0,44', 'utf8'), 64);
    expect(bytes.subarray(29, 34)).toEqual(Buffer.from([0x34, 0x34, 0x00, 0x00, 0x00])); // "44" then the padding
    expect(await api['readings.importCsv']({ billetId, upload: upload(bytes, 'plc.csv'), unit: 'wt_pct', mode: 'replace' })).toMatchObject({ imported: 2, points: 2 });
    expect(await stored()).toEqual([['P01', [0.45]], ['P02', [0.44]]]);
  });

  it('reads UTF-16 with its byte-order mark padded after a last line without its break (little- and big-endian, an odd pad)', async () => {
    const text = 'label\tC [%]\r\nP01\t0,41\r\nP03\t0,43';
    for (const [bytes, values] of [[padded(utf16le(text), 128), [0.41, 0.43]], [padded(utf16be(text.replace('0,43', '0,47')), 127), [0.41, 0.47]]] as const) {
      expect(await api['readings.importCsv']({ billetId, upload: upload(bytes, 'plc.txt'), unit: 'wt_pct', mode: 'replace' })).toMatchObject({ imported: 2 });
      expect((await stored()).filter(([label]) => label !== 'P02')).toEqual([['P01', [values[0]]], ['P03', [values[1]]]]);
    }
  });

  it('a last value cut short is still refused by the importer, padded or not; nothing is stored', async () => {
    const before = await stored();
    const cut = Buffer.from('label;C [%]\r\nP01;0,45\r\nP02;0,44\r\nP03;0,4', 'utf8');
    for (const bytes of [cut, padded(cut, 64)]) {
      const said = await refusal(() => api['readings.importCsv']({ billetId, upload: upload(bytes, 'plc.csv'), unit: 'wt_pct', mode: 'replace' }));
      expect(said.details).toEqual({ errors: [{ line: 4, message: 'column "C [%]": value "0,4" has 1 decimal where every other row has 2, and the file ends without a line break: it looks cut short (if the value is right, end the file with a line break)' }] });
    }
    expect(await stored()).toEqual(before);
  });

  it('a NUL inside the data is refused naming its line, column and value; nothing is stored', async () => {
    const before = await stored();
    const bytes = padded(Buffer.from('label;C [%]\r\nP01;0,45\r\nP02;0\u000044\r\n', 'utf8'), 64);
    const said = await refusal(() => api['readings.importCsv']({ billetId, upload: upload(bytes, 'plc.csv'), unit: 'wt_pct', mode: 'replace' }));
    expect([said.code, said.message]).toEqual(['invalid_argument', '"plc.csv" holds a NUL byte at byte 29 inside its text: line 3, column "C [%]", value "0␀44" (␀ marks the NUL) — a text file holds none: delete it from the file, or export the file again']);
    // in UTF-16 the same, by its byte there; a NUL in a cell past the header's columns is named by position
    const wide = padded(utf16le('label;C [%]\r\nP01;0,45;x\u0000\r\n'), 80);
    expect((await refusal(() => api['readings.importCsv']({ billetId, upload: upload(wide, 'plc.txt'), unit: 'wt_pct' }))).message).toBe(
      '"plc.txt" holds a NUL byte at byte 49 inside its text: line 2, column 3, value "x␀" (␀ marks the NUL) — a text file holds none: delete it from the file, or export the file again',
    );
    expect(await stored()).toEqual(before);
  });
});

describe('Jominy CSV: NUL padding after a last line without its line break (task 27-D)', () => {
  const header = ['heat_id', ...ELEMENTS, ...DISTANCES_MM.map((d) => `J${d}`)].join(',');
  const row = (heat: string, c: string) => [heat, c, 0.8, 0.25, 0.01, 0.02, 0.1, 1, 0.1, 0.2, 0.002, 0, 0, 0.01, 0.02, 0, 58, 57, 52, 45, 38, 34, 32, 30, 28, 26, 25, 24, 23, 22, 21].join(',');
  const text = `${header}\n${row('H1', '0.40')}\n${row('H2', '0.42')}`;

  it('imports a UTF-8 file padded to 512 bytes and a UTF-16 one padded to 1024 bytes, their last line unbroken', async () => {
    for (const [bytes, name] of [[padded(Buffer.from(text, 'utf8'), 512), 'plc8.csv'], [padded(utf16le(text), 1024), 'plc16.csv']] as const) {
      const ds = await api['jominy.datasets.import']({ upload: upload(bytes, name) });
      expect(ds).toMatchObject({ sampleCount: 2 });
      const page = await api['jominy.datasets.samples']({ id: ds.id });
      expect(page.samples.map((s) => [s.lineNo, s.heatId, s.chemistry.C, s.hardness.at(-1)])).toEqual([[2, 'H1', 0.4, 21], [3, 'H2', 0.42, 21]]);
    }
  });

  it('a NUL inside a heat\'s cell is refused naming line, column and value; nothing is stored', async () => {
    const count = (await api['jominy.datasets.list']({})).length;
    const bytes = padded(Buffer.from(`${header}\n${row('H1', '0.40')}\n${row('H2', '0.4\u00002')}`, 'utf8'), 512);
    const said = await refusal(() => api['jominy.datasets.import']({ upload: upload(bytes, 'plc.csv') }));
    expect(said.message).toBe(`"plc.csv" holds a NUL byte at byte ${header.length + row('H1', '0.40').length + 9} inside its text: line 3, column "C", value "0.4␀2" (␀ marks the NUL) — a text file holds none: delete it from the file, or export the file again`);
    // below the comment lines of a Ferrolab export, the header is the first line that is none
    const declared = `# distance-unit: mm\n# source: PLC 3\n${text.replace('H2,0.42', 'H2,0.4\u00002')}`;
    expect((await refusal(() => api['jominy.datasets.import']({ upload: upload(padded(Buffer.from(declared, 'utf8'), 1024), 'plc.csv') }))).message).toMatch(/^"plc\.csv" holds a NUL byte at byte \d+ inside its text: line 5, column "C", value "0\.4␀2"/);
    expect(await api['jominy.datasets.list']({})).toHaveLength(count);
  });
});
