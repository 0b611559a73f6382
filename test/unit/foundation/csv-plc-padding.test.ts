import { beforeAll, describe, expect, it } from 'vitest';
import { apiSession, refusal } from '../../helpers/api-session.js';
import { DISTANCES_MM, ELEMENTS } from '../../../core/jominy/elements.js';

// Instrument and PLC exports pad a file to a block size with NUL bytes; after a final line break the padding is dropped.
// After a last line WITHOUT its break it is refused (csvBytes.cutShort, task 27-J; 27-D had dropped it): a copy cut off
// mid-write into a file reserved at its full size looks exactly so, and most such cuts pass the importers' own checks —
// each cut form below imported a wrong value under 27-D (the refusal tests fail there). A NUL inside the data names its
// line, column (as the importer's own header names it) and value. Each file is given as its exact bytes; nothing is
// stored from a refused one.

const { ctx, api } = apiSession();
const upload = (bytes: Buffer, name: string) => ({ uploadId: ctx.uploads.saveBytes(bytes), name });
/** The text's bytes padded with NULs to `size` bytes, as a PLC writing fixed-size blocks leaves them. */
const padded = (text: Buffer, size: number): Buffer => {
  expect(text.length).toBeLessThan(size);
  return Buffer.concat([text, Buffer.alloc(size - text.length)]);
};
const utf16le = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
const utf16be = (text: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
const cutShort = (name: string, bytes: number, line: number) =>
  `"${name}" ends in ${bytes} zero bytes right after line ${line}, which has no line break: a copy cut off mid-write into a file reserved at its full size looks exactly like this, and its last value may be cut short (4510 read as 45) — export the file again; if the instrument pads its files with zero bytes, have it end the last line with a line break`;

describe('readings CSV: NUL padding after the text (task 27-J)', () => {
  let billetId = 0;
  const stored = async () => (await api['points.list']({ billetId })).points.filter((p) => p.n > 0).map((p) => [p.label, p.readings.map((r) => r.carbonWtPct)]);
  const importing = (bytes: Buffer, name: string, unit: 'wt_pct' | 'ppm' = 'wt_pct') => api['readings.importCsv']({ billetId, upload: upload(bytes, name), unit, mode: 'replace' });
  beforeAll(async () => {
    billetId = (await api['billets.create']({ name: 'PLC 1', nominalDiameterMm: 150 })).id;
    await api['points.layout']({ billetId });
  });

  it('reads a file padded after its final line break: UTF-8 to 64 bytes, UTF-16 LE and BE with their mark (an odd pad)', async () => {
    const bytes = padded(Buffer.from('label;C [%]\r\nP01;0,45\r\nP02;0,44\r\n', 'utf8'), 64);
    expect(bytes.subarray(29, 34)).toEqual(Buffer.from([0x34, 0x34, 0x0d, 0x0a, 0x00])); // "44", CRLF, then the padding
    expect(await importing(bytes, 'plc.csv')).toMatchObject({ imported: 2, points: 2 });
    expect(await stored()).toEqual([['P01', [0.45]], ['P02', [0.44]]]);
    const text = 'label\tC [%]\r\nP01\t0,41\r\nP03\t0,43\r\n';
    for (const [wide, values] of [[padded(utf16le(text), 128), [0.41, 0.43]], [padded(utf16be(text.replace('0,43', '0,47')), 127), [0.41, 0.47]]] as const) {
      expect(await importing(wide, 'plc.txt')).toMatchObject({ imported: 2 });
      expect(await stored()).toEqual([['P01', [values[0]]], ['P02', [0.44]], ['P03', [values[1]]]]); // replace: P02 is not in the file
    }
  });

  it('refuses padding after a last line without its break, UTF-8 and UTF-16 LE/BE, even where the last value looks whole; nothing is stored', async () => {
    const before = await stored();
    expect(before).toEqual([['P01', [0.41]], ['P02', [0.44]], ['P03', [0.47]]]);
    const unbroken = 'label;C [%]\r\nP01;0,45\r\nP02;0,44';
    const cases: Array<[Buffer, number]> = [[padded(Buffer.from(unbroken, 'utf8'), 64), 33], [padded(utf16le(unbroken), 128), 64], [padded(utf16be(unbroken), 127), 63]];
    for (const [bytes, zeros] of cases) {
      const said = await refusal(() => importing(bytes, 'plc.csv'));
      expect([said.code, said.message, said.phrase?.code]).toEqual(['invalid_argument', cutShort('plc.csv', zeros, 3), 'csvBytes.cutShort']);
    }
    expect(await stored()).toEqual(before);
  });

  it('refuses the cut forms the readings checks cannot catch: ppm integers, a 2-row file, the label column last, a cut inside a UTF-8 character', async () => {
    const before = await stored();
    // each as the copy a crash leaves: the text up to the cut, then zeros to the file's reserved size (256 bytes)
    const forms: Array<[string, Buffer, 'wt_pct' | 'ppm', number]> = [
      // "4510" cut to "45": P05 would be stored as 0.0045 wt.% (ppm integers have no decimals to compare)
      ['ppm.csv', Buffer.from('label,C [ppm]\nP01,4520\nP02,4480\nP03,4610\nP04,4550\nP05,45', 'utf8'), 'ppm', 6],
      // two rows: "0.451" cut to "0.4" (the decimals check needs three)
      ['two.csv', Buffer.from('label,C [%]\nP01,0.452\nP02,0.4', 'utf8'), 'wt_pct', 3],
      // the label column last: "P12" cut to "P1" puts the reading on P01
      ['label-last.csv', Buffer.from('C [%],label\n0.452,P10\n0.448,P11\n0.461,P13\n0.470,P1', 'utf8'), 'wt_pct', 5],
      // cut inside "ü" (0xC3 0xBC): the lone 0xC3 is no UTF-8, so the whole file read as Windows-1252 ("Jörg" → "JÃ¶rg")
      ['operator.csv', Buffer.concat([Buffer.from('label,C [%],operator\nP01,0.452,Jörg\nP02,0.448,Jörg\nP03,0.461,M', 'utf8'), Buffer.from([0xc3])]), 'wt_pct', 4],
    ];
    for (const [name, cut, unit, line] of forms) {
      const bytes = padded(cut, 256);
      expect(bytes[cut.length - 1]).not.toBe(0x0a);
      const said = await refusal(() => importing(bytes, name, unit));
      expect([name, said.message]).toEqual([name, cutShort(name, 256 - cut.length, line)]);
    }
    expect(await stored()).toEqual(before);
  });

  it('a NUL inside the data is refused naming its line, column and value (below an instrument preamble, the parser\'s header); nothing is stored', async () => {
    const before = await stored();
    const bytes = padded(Buffer.from('label;C [%]\r\nP01;0,45\r\nP02;0\u000044\r\n', 'utf8'), 64);
    const said = await refusal(() => importing(bytes, 'plc.csv'));
    expect([said.code, said.message]).toEqual(['invalid_argument', '"plc.csv" holds a NUL byte at byte 29 inside its text: line 3, column "C [%]", value "0␀44" (␀ marks the NUL) — a text file holds none: delete it from the file, or export the file again']);
    // an instrument's preamble above the header (27-D named its first line's cell " program Fe-10" as the column)
    const preamble = padded(Buffer.from('Instrument: Q4, program Fe-10, operator A\r\nlabel;C [%];Mn\r\nP01;0,45;0,8\r\nP02;0,4\u00004;0,8\r\n', 'utf8'), 128);
    expect((await refusal(() => importing(preamble, 'q4.csv'))).message).toBe(
      '"q4.csv" holds a NUL byte at byte 81 inside its text: line 4, column "C [%]", value "0,4␀4" (␀ marks the NUL) — a text file holds none: delete it from the file, or export the file again',
    );
    // in UTF-16 the same, by its byte there; a NUL in a cell past the header's columns is named by position
    const wide = padded(utf16le('label;C [%]\r\nP01;0,45;x\u0000\r\n'), 80);
    expect((await refusal(() => importing(wide, 'plc.txt'))).message).toBe(
      '"plc.txt" holds a NUL byte at byte 49 inside its text: line 2, column 3, value "x␀" (␀ marks the NUL) — a text file holds none: delete it from the file, or export the file again',
    );
    expect(await stored()).toEqual(before);
  });
});

describe('Jominy CSV: NUL padding after the text (task 27-J)', () => {
  const header = ['heat_id', ...ELEMENTS, ...DISTANCES_MM.map((d) => `J${d}`)].join(',');
  const row = (heat: string, c: string, last = '21') => [heat, c, 0.8, 0.25, 0.01, 0.02, 0.1, 1, 0.1, 0.2, 0.002, 0, 0, 0.01, 0.02, 0, 58, 57, 52, 45, 38, 34, 32, 30, 28, 26, 25, 24, 23, 22, last].join(',');
  const text = `${header}\n${row('H1', '0.40')}\n${row('H2', '0.42')}\n`;

  it('imports a UTF-8 file padded to 512 bytes and a UTF-16 one padded to 1024 bytes after their final line break', async () => {
    for (const [bytes, name] of [[padded(Buffer.from(text, 'utf8'), 512), 'plc8.csv'], [padded(utf16le(text), 1024), 'plc16.csv']] as const) {
      const ds = await api['jominy.datasets.import']({ upload: upload(bytes, name) });
      expect(ds).toMatchObject({ sampleCount: 2 });
      const page = await api['jominy.datasets.samples']({ id: ds.id });
      expect(page.samples.map((s) => [s.lineNo, s.heatId, s.chemistry.C, s.hardness.at(-1)])).toEqual([[2, 'H1', 0.4, 21], [3, 'H2', 0.42, 21]]);
    }
  });

  it('refuses padding after a last heat without its break: two heats with "21.5" cut to "21" (the decimals check needs three); nothing is stored', async () => {
    const count = (await api['jominy.datasets.list']({})).length;
    const cut = Buffer.from(`${header}\n${row('H1', '0.40', '21.5')}\n${row('H2', '0.42', '21')}`, 'utf8');
    for (const [bytes, zeros] of [[padded(cut, 512), 512 - cut.length], [padded(utf16le(cut.toString('utf8')), 1024), 1024 - 2 - 2 * cut.length]] as const) {
      const said = await refusal(() => api['jominy.datasets.import']({ upload: upload(bytes, 'heats.csv') }));
      expect([said.code, said.message]).toEqual(['invalid_argument', cutShort('heats.csv', zeros, 3)]);
      expect((await refusal(() => api['jominy.datasets.previewCsv']({ upload: upload(bytes, 'heats.csv') }))).message).toBe(cutShort('heats.csv', zeros, 3));
    }
    expect(await api['jominy.datasets.list']({})).toHaveLength(count);
  });

  it('a NUL inside a heat\'s cell is refused naming line, column and value; nothing is stored', async () => {
    const count = (await api['jominy.datasets.list']({})).length;
    const bytes = padded(Buffer.from(`${header}\n${row('H1', '0.40')}\n${row('H2', '0.4\u00002')}\n`, 'utf8'), 512);
    const said = await refusal(() => api['jominy.datasets.import']({ upload: upload(bytes, 'plc.csv') }));
    expect(said.message).toBe(`"plc.csv" holds a NUL byte at byte ${header.length + row('H1', '0.40').length + 9} inside its text: line 3, column "C", value "0.4␀2" (␀ marks the NUL) — a text file holds none: delete it from the file, or export the file again`);
    // below the comment lines of a Ferrolab export, the header is the first line that is none, as the parser reads it
    const declared = `# distance-unit: mm\n# source: PLC 3\n${text.replace('H2,0.42', 'H2,0.4\u00002')}`;
    expect((await refusal(() => api['jominy.datasets.import']({ upload: upload(padded(Buffer.from(declared, 'utf8'), 1024), 'plc.csv') }))).message).toMatch(/^"plc\.csv" holds a NUL byte at byte \d+ inside its text: line 5, column "C", value "0\.4␀2"/);
    expect(await api['jominy.datasets.list']({})).toHaveLength(count);
  });
});
