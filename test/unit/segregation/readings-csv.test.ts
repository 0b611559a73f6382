import { describe, expect, it } from 'vitest';
import {
  parseReadingsCsv, readingsCsvHeader, decodeCsvBytes, detectDelimiter, replicateStats, readCarbonNumber, readingsToCsv, CsvFormatError, layoutPoints,
} from '../../../core/segregation/index.js';

const labels = layoutPoints({ diameterMm: 600 }).map((p) => p.label);
const parse = (text: string, extra: Parameters<typeof parseReadingsCsv>[1] extends infer O ? Partial<O> : never = {}) =>
  parseReadingsCsv(text, { knownLabels: labels, ...extra });

describe('readings CSV: formats', () => {
  it('reads a comma file with decimal points', () => {
    const r = parse('label,carbon_wt_pct\nP01,0.452\nP02,0.448\n');
    expect(r.delimiter).toBe(',');
    expect(r.decimalComma).toBe(false);
    expect(r.errors).toMatchObject([]);
    expect(r.rows.map((x) => [x.label, x.carbonWtPct, x.line])).toEqual([['P01', 0.452, 2], ['P02', 0.448, 3]]);
    expect(r.unit).toMatchObject({ detected: 'wt_pct', source: 'header', used: 'wt_pct', conflict: null });
  });

  it('reads a semicolon file with decimal commas, preamble lines, sulfur and mass columns (ELTRA style)', () => {
    const text = [
      'ELTRA CS-2000 export',
      'Method;Steel low C',
      '',
      'Sample name;Weight [g];C [%];S [%];Date',
      'P01;0,5012;0,452;0,012;2026-11-20',
      'P02;0,4988;0,4471;0,011;2026-11-20',
    ].join('\r\n');
    const r = parse(text);
    expect(r.delimiter).toBe(';');
    expect(r.decimalComma).toBe(true);
    expect(r.headerLine).toBe(4);
    expect(r.mapping).toMatchObject({ label: 'Sample name', carbon: 'C [%]', measuredAt: 'Date' });
    expect(r.rows.map((x) => [x.label, x.carbonWtPct, x.line])).toEqual([['P01', 0.452, 5], ['P02', 0.4471, 6]]);
    expect(r.rows[0].measuredAt).toBe('2026-11-20');
  });

  it('reads tab-separated files with decimal commas; refuses a decimal comma in a comma file, even quoted', () => {
    expect(parse('Point\tC\nP03\t0.41\n').rows[0]).toMatchObject({ label: 'P03', carbonWtPct: 0.41 });
    const tab = parse('Point\tC\nP03\t0,41\n');
    expect([tab.decimalComma, tab.errors, tab.rows[0].carbonWtPct]).toEqual([true, [], 0.41]);
    const r = parse('label,C\nP04,"0,39"\n');
    expect(r.delimiter).toBe(',');
    expect(r.rows).toEqual([]);
    expect(r.errors).toMatchObject([{ line: 2, message: 'column "C": value "0,39" uses the decimal mark "," where "." is expected (a comma-separated file takes decimal points)' }]);
  });

  it('detects ppm from the header and converts to wt.% (4520 ppm = 0.452 wt.%)', () => {
    const r = parse('Name;Carbon (ppm)\nP01;4520\nP02;4480,5\n');
    expect(r.unit).toMatchObject({ detected: 'ppm', source: 'header', used: 'ppm' });
    expect(r.rows.map((x) => x.carbonWtPct)).toEqual([0.452, 0.44805]);
    expect(r.rows[1].value).toBe(4480.5);
  });

  it('detects ppm from magnitudes when the header has no unit, and wt.% for small values', () => {
    const ppm = parse('label,C\nP01,4500\nP02,4400\nP03,4700\n');
    expect(ppm.unit).toMatchObject({ detected: 'ppm', source: 'magnitude', used: 'ppm' });
    expect(ppm.rows[2].carbonWtPct).toBeCloseTo(0.47, 12);
    const wt = parse('label,C\nP01,0.45\nP02,0.44\n');
    expect(wt.unit).toMatchObject({ detected: 'wt_pct', source: 'magnitude' });
  });

  it('reports a header/magnitude conflict and honours the confirmed unit', () => {
    const r = parse('label,C [%]\nP01,4500\nP02,4400\n');
    expect(r.unit.detected).toBe('wt_pct');
    expect(r.unit.conflict).toMatch(/only possible in ppm/);
    expect(r.errors.map((e) => e.line)).toEqual([2, 3]); // 4500 wt.% is impossible
    const confirmed = parse('label,C [%]\nP01,4500\nP02,4400\n', { unit: 'ppm' });
    expect(confirmed.errors).toMatchObject([]);
    expect(confirmed.rows.map((x) => x.carbonWtPct)).toEqual([0.45, 0.44]);
  });

  it('refuses a carbon header that names a unit neither wt.% nor ppm, whatever the magnitudes or the confirmed unit', () => {
    // "C [‰]" 4.41 had read as 4.41 ppm (0.000441 wt.%, ten thousand times too low) and "C (mass fraction)" 0.00441
    // as 0.00441 wt.% (a hundred times too low), both stored without a word: the header's unit was ignored.
    const cases: [string, string, string][] = [
      ['label;C [‰]\nP01;4,41\nP02;4,52\n', 'C [‰]', '‰'],
      ['label,C (mass fraction)\nP01,0.00441\nP02,0.00452\n', 'C (mass fraction)', 'fraction'],
      ['label,C [g/kg]\nP01,4.41\nP02,4.52\n', 'C [g/kg]', 'g/kg'],
      ['label,C (wt. fraction)\nP01,0.00441\nP02,0.00452\n', 'C (wt. fraction)', 'fraction'],
    ];
    for (const [text, column, unit] of cases) {
      for (const confirmed of [undefined, 'wt_pct', 'ppm'] as const) {
        const r = parse(text, { unit: confirmed });
        expect(r.errors[0]).toMatchObject({ line: 1, message: `column "${column}" gives carbon in ${unit}, which is neither wt.% nor ppm: convert the values to wt.% or ppm and say which in the header` });
        expect(r.errors[0].phrases).toEqual([{ code: 'csvCarbonUnit.foreign', params: { column, unit } }]);
      }
    }
    // a unit Ferrolab reads is still read, decorations and all
    expect(parse('label,C (mass fraction %)\nP01,0.441\n').errors).toEqual([]);
    expect(parse('label,C [mg/kg]\nP01,4410\n').rows[0].carbonWtPct).toBeCloseTo(0.441, 12);
    // "per million" is no per mille: read by magnitude as before
    const perMillion = parse('label,C (parts per million)\nP01,4410\nP02,4520\n');
    expect([perMillion.errors, perMillion.unit.used, perMillion.rows[0].carbonWtPct]).toEqual([[], 'ppm', 0.441]);
    expect(parse('label;C (per mille)\nP01;4,41\n').errors[0].message).toMatch(/gives carbon in per mille/);
  });

  it('takes the label from the column that names the points, not from an autoloader position numbered 1, 2, 3 …', () => {
    // "Position" (the analyser's carousel slot) came first among label names and its 1, 2 were read as P01, P02, while
    // the "Sample" column said P05, P06: the readings were stored on the wrong points without a word.
    const r = parse('Position,Sample,C [%]\n1,P05,0.451\n2,P06,0.462\n3,p07,0.470\n');
    expect(r.mapping.label).toBe('Sample');
    expect(r.rows.map((x) => [x.label, x.carbonWtPct])).toEqual([['P05', 0.451], ['P06', 0.462], ['P07', 0.47]]);
    expect(r.errors).toEqual([]);
    // with no column naming the points exactly, numbers still map to P-labels; an explicit mapping is obeyed
    expect(parse('Position,C [%]\n1,0.451\n2,0.462\n').rows.map((x) => x.label)).toEqual(['P01', 'P02']);
    expect(parse('Position,Sample,C [%]\n1,P05,0.451\n', { mapping: { label: 'Position', carbon: 'C [%]' } }).rows.map((x) => x.label)).toEqual(['P01']);
  });

  it('takes a label column written "P5" or "B12-P05" over positions 1, 2, 3, and refuses two columns naming different points', () => {
    // The label matcher reads "P5" and "B12-P05" as P05, but the column choice counted exact labels only: "Position"
    // (1, 2, 3) still won and its numbers put every reading on the wrong point, without a word.
    const short = parse('Position,Sample,C [%]\n1,P5,0.451\n2,P6,0.462\n3,p7,0.470\n');
    expect(short.mapping.label).toBe('Sample');
    expect(short.rows.map((x) => x.label)).toEqual(['P05', 'P06', 'P07']);
    const lims = parse('Position;Sample name;C [%]\n1;B12-P05;0,451\n2;B12-P06;0,462\n');
    expect(lims.mapping.label).toBe('Sample name');
    expect(lims.rows.map((x) => [x.label, x.carbonWtPct])).toEqual([['P05', 0.451], ['P06', 0.462]]);
    // two columns naming the same points row by row are not ambiguous: the first by name, as before
    expect(parse('Label,Sample,C [%]\nP05,B12-P05,0.451\nP06,B12-P06,0.462\n').mapping.label).toBe('Label');
    // two columns naming different points: a line error naming both (nothing is imported), at the first row where they
    // part; the preview still comes back, so the label column can be chosen in the dialog
    const both = parse('Point,Sample,C [%]\nP01,P05,0.451\nP02,P06,0.462\n');
    expect(both.errors).toEqual([{ line: 2, message: 'columns "Point" ("P01") and "Sample" ("P05") both name sampling points, and not the same ones: choose the point label column in the import dialog, or delete the other column from the file', phrases: [{ code: 'readingsLabelColumn.ambiguous', params: { a: 'Point', valueA: 'P01', b: 'Sample', valueB: 'P05' } }] }]);
    expect(both.mapping.label).toBe('Point');
    // the column mapping settles it
    expect(parse('Point,Sample,C [%]\nP01,P05,0.451\n', { mapping: { label: 'Sample', carbon: 'C [%]' } }).rows.map((x) => x.label)).toEqual(['P05']);
  });

  it('keeps replicates individually: numbered in file order when declared, or from a replicate column', () => {
    const r = parse('label,C\nP01,0.45\nP02,0.40\nP01,0.47\nP01,0.46\n', { replicates: true });
    expect(r.rows.filter((x) => x.label === 'P01').map((x) => [x.replicateNo, x.carbonWtPct])).toEqual([[1, 0.45], [2, 0.47], [3, 0.46]]);
    const withCol = parse('label;Run;C\nP01;2;0,45\nP01;1;0,47\n');
    expect(withCol.mapping.replicate).toBe('Run');
    expect(withCol.rows.map((x) => x.replicateNo)).toEqual([2, 1]);
  });

  it('lets the user re-map the replicate column, or say the file has none (then file order)', () => {
    const text = 'label;Run;Seq;C\nP01;1;7;0,45\nP01;1;8;0,47\n';
    expect(parse(text).errors).toMatchObject([{ line: 3, message: 'P01 replicate 1 already appears on line 2' }]);
    const bySeq = parse(text, { mapping: { replicate: 'Seq' } });
    expect([bySeq.mapping.replicate, bySeq.errors, bySeq.rows.map((x) => x.replicateNo)]).toEqual(['Seq', [], [7, 8]]);
    const none = parse(text, { mapping: { replicate: null }, replicates: true });
    expect([none.mapping.replicate, none.errors, none.rows.map((x) => x.replicateNo)]).toEqual([null, [], [1, 2]]);
  });

  it('matches labels case-insensitively and by number (p1, 1, B12-P01)', () => {
    const r = parse('label,C\np1,0.4\n2,0.41\nB12-P03,0.42\nP085,0.43\n');
    expect(r.errors).toMatchObject([]);
    expect(r.rows.map((x) => x.label)).toEqual(['P01', 'P02', 'P03', 'P85']);
  });

  it('mean ± sd of replicates (sample sd, n − 1)', () => {
    const s = replicateStats([0.45, 0.47, 0.46]);
    expect(s.n).toBe(3);
    expect(s.mean).toBeCloseTo(0.46, 12);
    expect(s.sd).toBeCloseTo(0.01, 12);
    expect(replicateStats([0.5])).toEqual({ n: 1, mean: 0.5, sd: null });
    expect(replicateStats([])).toEqual({ n: 0, mean: null, sd: null });
  });

  it('parses decimals strictly, with the file\'s one mark', () => {
    expect(readCarbonNumber(' 0,452 ', ',')).toEqual({ ok: true, value: 0.452 });
    expect(readCarbonNumber('4.5e-1')).toEqual({ ok: true, value: 0.45 });
    expect(readCarbonNumber('−0.1')).toEqual({ ok: true, value: -0.1 });
    for (const bad of ['', 'n/a', 'NaN', '1.2.3', '1,234.5', '#VALUE!', '0.4%', '0.', '.5', '0x37', '0b0', '1e-400', '4.9e-324', 'Infinity', '0,45'])
      expect(readCarbonNumber(bad).ok, bad).toBe(false);
    expect(readCarbonNumber('0.45', ',').ok).toBe(false);
  });

  it('decodes UTF-8 with BOM, Windows-1252 and UTF-16 with BOM', () => {
    expect(decodeCsvBytes(new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0x3b]))).toBe('a;');
    expect(decodeCsvBytes(new Uint8Array([0x43, 0x20, 0x5b, 0xb5, 0x67, 0x2f, 0x67, 0x5d]))).toBe('C [µg/g]');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('label;C\r\nP01;0,4\r\n', 'utf16le')]);
    expect(parse(decodeCsvBytes(utf16)).rows[0]).toMatchObject({ label: 'P01', carbonWtPct: 0.4, line: 2 });
  });

  it('refuses a workbook (.xlsx, .xls, .ods) and UTF-16 without its byte-order mark by name, instead of reading their bytes as text (task 24-D)', () => {
    // Read as Windows-1252 they had been refused as "no header row … first row reads "PK\u0003\u0004…"", and UTF-16
    // without a BOM as " P 0 1 ", an unknown label, line by line
    const refusal = (bytes: Uint8Array) => {
      try {
        decodeCsvBytes(bytes, 'plant.csv');
      } catch (e) {
        return { message: (e as Error).message, code: (e as { phrase?: { code: string } }).phrase?.code };
      }
      return null;
    };
    const workbook = { message: '"plant.csv" is a spreadsheet workbook (Excel or OpenDocument), not a CSV: open it and save the sheet as CSV (UTF-8)', code: 'csvBytes.workbook' };
    expect(refusal(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]))).toEqual(workbook);
    expect(refusal(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))).toEqual(workbook);
    expect(refusal(Buffer.from('label\tC\r\nP01\t0.4\r\n', 'utf16le'))).toEqual({ message: '"plant.csv" holds a NUL byte (byte 2): it is UTF-16 text without its byte-order mark, or not a text file: save it as CSV (UTF-8), or as Unicode text with its byte-order mark', code: 'csvBytes.nul' });
    expect(refusal(Buffer.from('label,C\nP01,0.4\n'))).toBeNull();
  });

  it('reads a UTF-8 CSV padded with NULs after its text (PLC export); refuses a NUL inside it by byte, line, column and value (task 24-H, 27-D)', () => {
    // any NUL had refused the file as "UTF-16 without its byte-order mark", so a padded instrument export could not be read
    const text = 'label;C [%]\r\nP01;0,45\r\nP02;0,44\r\n';
    const padded = Buffer.concat([Buffer.from(text), Buffer.alloc(37)]);
    expect(decodeCsvBytes(padded)).toBe(text);
    expect(parse(decodeCsvBytes(padded)).rows.map((r) => r.carbonWtPct)).toEqual([0.45, 0.44]);
    const stray = Buffer.from(text);
    stray[text.indexOf('0,44') + 1] = 0;
    let said: { message: string; code?: string } | null = null;
    try { decodeCsvBytes(Buffer.concat([stray, Buffer.alloc(3)]), 'plant.csv', (t) => readingsCsvHeader(t)); } catch (e) { said = { message: (e as Error).message, code: (e as { phrase?: { code: string } }).phrase?.code }; }
    expect(said).toEqual({ message: `"plant.csv" holds a NUL byte at byte ${text.indexOf('0,44') + 2} inside its text: line 3, column "C [%]", value "0␀44" (␀ marks the NUL) — a text file holds none: delete it from the file, or export the file again`, code: 'csvBytes.strayNul' });
    // UTF-16 without its BOM stays refused as such, padded or not
    expect(() => decodeCsvBytes(Buffer.concat([Buffer.from(text, 'utf16le'), Buffer.alloc(4)]))).toThrow(/UTF-16 text without its byte-order mark/);
    expect(() => decodeCsvBytes(Buffer.from(text, 'utf16le').subarray(1))).toThrow(/UTF-16 text without its byte-order mark/);
  });

  it('strips NUL padding from UTF-16 with its BOM in code units; refuses padding after a line without its break; counts CR lines (task 24-I, 27-J)', () => {
    const said = (bytes: Uint8Array) => {
      try { decodeCsvBytes(bytes, 'plant.csv', (t) => readingsCsvHeader(t)); } catch (e) { return { message: (e as Error).message, code: (e as { phrase?: { code: string } }).phrase?.code }; }
      return null;
    };
    const text = 'label;C [%]\r\nP01;0,45\r\nP02;0,44\r\n';
    // fails before: the padding was stripped as bytes before decoding only, so UTF-16's became a row of U+0000 (37 bytes: odd)
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le'), Buffer.alloc(37)]);
    expect(decodeCsvBytes(utf16)).toBe(text);
    const be = Buffer.from(text, 'utf16le').swap16();
    expect(decodeCsvBytes(Buffer.concat([Buffer.from([0xfe, 0xff]), be, Buffer.alloc(8)]))).toBe(text);
    // a zero-filled tail after a last line without its break is a copy cut off mid-write (27-D had read "P02;0,4" as 0.4)
    const cut = text.slice(0, text.indexOf('0,44') + 3);
    const cutSaid = (bytes: number) => ({ message: `"plant.csv" ends in ${bytes} zero bytes right after line 3, which has no line break: a copy cut off mid-write into a file reserved at its full size looks exactly like this, and its last value may be cut short (4510 read as 45) — export the file again; if the instrument pads its files with zero bytes, have it end the last line with a line break`, code: 'csvBytes.cutShort' });
    expect(said(Buffer.concat([Buffer.from(cut), Buffer.alloc(40)]))).toEqual(cutSaid(40));
    expect(said(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(cut, 'utf16le'), Buffer.alloc(40)]))).toEqual(cutSaid(40));
    expect(said(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(cut, 'utf16le').swap16(), Buffer.alloc(41)]))).toEqual(cutSaid(41));
    expect(said(Buffer.from(cut))).toBeNull(); // unpadded, the importer's own check of a last line cut short decides
    // a NUL inside: its line counts CR-only and CRLF line ends as the parser does (fails before: LF only, "line 1")
    const mac = 'label;C\rP01;0,45\rP02;0,44\r';
    const stray = Buffer.from(mac);
    stray[mac.indexOf('0,44') + 1] = 0;
    expect(said(stray)).toEqual({ message: `"plant.csv" holds a NUL byte at byte ${mac.indexOf('0,44') + 2} inside its text: line 3, column "C", value "0␀44" (␀ marks the NUL) — a text file holds none: delete it from the file, or export the file again`, code: 'csvBytes.strayNul' });
    const wide = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text.replace('0,44', '0\u00004'), 'utf16le')]);
    expect(said(wide)).toMatchObject({ message: `"plant.csv" holds a NUL byte at byte ${2 + 2 * (text.indexOf('0,44') + 1) + 1} inside its text: line 3, column "C [%]", value "0␀4" (␀ marks the NUL) — a text file holds none: delete it from the file, or export the file again` });
  });

  it('names a NUL\'s column from the header the readings parser reads, below an instrument\'s preamble; unsure, by line and the text around it (task 27-J)', () => {
    const said = (text: string, finder?: (t: string) => ReturnType<typeof readingsCsvHeader>) => {
      try { decodeCsvBytes(Buffer.from(text), 'lab.csv', finder); } catch (e) { return (e as Error).message.replace(/ \(␀ marks the NUL\) — a text file holds none: delete it from the file, or export the file again$/, ''); }
      return null;
    };
    const readings = (t: string) => readingsCsvHeader(t);
    // fails before: the first line, "Instrument: Q4, program Fe-10, operator A", was taken for the header (column " program Fe-10")
    const preamble = 'Instrument: Q4, program Fe-10, operator A\nDate: 2026-11-20\nlabel;C [%];Mn\nP01;0,45;0,8\nP02;0,4\u00004;0,8\n';
    expect(said(preamble, readings)).toBe('"lab.csv" holds a NUL byte at byte 95 inside its text: line 5, column "C [%]", value "0,4␀4"');
    // without the parser's header (another importer, or none found): no column is guessed
    expect(said(preamble)).toBe('"lab.csv" holds a NUL byte at byte 95 inside its text: line 5, near "P02;0,4␀4;0,8"');
    // in the preamble itself: the line and the text around the NUL, cut to 20 characters either side
    expect(said('Instrument: Q4, program\u0000Fe-10, operator A, serial 4711\nlabel;C\nP01;0,45\n', readings)).toBe('"lab.csv" holds a NUL byte at byte 24 inside its text: line 1, near "…trument: Q4, program␀Fe-10, operator A, s…"');
    // in the header row: by position
    expect(said('label;C [%];M\u0000n\nP01;0,45;1\n', readings)).toBe('"lab.csv" holds a NUL byte at byte 14 inside its text: line 1, column 3, value "M␀n"');
    // a block of NULs inside a cell is counted, not printed (fails before: 312 ␀)
    expect(said(`label;C\nP01;0,4${'\u0000'.repeat(312)}5\n`, readings)).toBe('"lab.csv" holds a NUL byte at byte 16 inside its text: line 2, column "C", value "0,4[␀×312]5"');
    expect(said('label;C\nP01;0,4\u0000\u0000\u00005\n', readings)).toBe('"lab.csv" holds a NUL byte at byte 16 inside its text: line 2, column "C", value "0,4␀␀␀5"');
    // UTF-16 saved twice with its byte-order mark: the NUL's byte counts both marks (fails before: 2 short)
    const twice = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('\ufefflabel;C\nP01;0,4\u00005\n', 'utf16le')]);
    expect([...twice.subarray(32, 36)]).toEqual([0x34, 0, 0, 0]); // "4" then the NUL code unit: bytes 35–36, 1-based
    let message = '';
    try { decodeCsvBytes(twice, 'lab.csv', readings); } catch (e) { message = (e as Error).message; }
    expect(message).toMatch(/^"lab\.csv" holds a NUL byte at byte 35 inside its text: line 2, column "C", value "0,4␀5"/);
  });

  it('detects the delimiter from the steadiest field count', () => {
    expect(detectDelimiter('a;b;c\n1,5;2,5;3\n4,1;5;6\n')).toBe(';');
    expect(detectDelimiter('a,b\n1,2\n')).toBe(',');
    expect(detectDelimiter('a\tb\n1,5\t2\n')).toBe('\t');
  });
});

describe('readings CSV: every rejection names its line', () => {
  const text = [
    'label;C [%]',        // 1
    'P01;0,45',           // 2 ok
    'P99;0,45',           // 3 unknown label
    'P02;-0,01',          // 4 negative
    'P03;2,6',            // 5 > 2.5
    'P04;NaN',            // 6 NaN
    'P05;',               // 7 empty value
    ';0,4',               // 8 empty label
    'P06',                // 9 too few fields
    'P07;abc',            // 10 not a number
    'P01;0,46',           // 11 repeats P01 without a declared replicate
  ].join('\n');
  const r = parse(text);

  it('collects one error per bad line with a specific message', () => {
    expect(r.errors.map((e) => e.line)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11]);
    const msg = Object.fromEntries(r.errors.map((e) => [e.line, e.message]));
    expect(msg[3]).toMatch(/unknown point label "P99".*P01…P85/);
    expect(msg[4]).toMatch(/-0\.01 wt\.% is negative/);
    expect(msg[5]).toMatch(/2\.6 wt\.% is above 2\.5/);
    expect(msg[6]).toBe('column "C [%]": value "NaN" is not a plain decimal number');
    expect(msg[7]).toMatch(/is empty/);
    expect(msg[8]).toMatch(/label is empty/);
    expect(msg[9]).toBe('has 1 field where the header (line 1) has 2: no value for column "C [%]" (is the delimiter ";" right?)');
    expect(msg[10]).toMatch(/value "abc" is not a plain decimal number/);
    expect(msg[11]).toBe('point P01 appears on lines 2, 11: repeated labels are refused unless the file declares replicates (add a replicate column, mark each row\'s replicate in its label in column "label" — P01-R1, P01-R2 — or import with --replicates / "rows are replicates")');
  });

  it('ppm above the limit names the line and the value as written', () => {
    const p = parse('label,C [ppm]\nP01,4500\nP02,26000\n');
    expect(p.errors).toMatchObject([{ line: 3, message: 'carbon 2.6 wt.% is above 2.5 wt.% (not a steel) (26000 ppm) for P02' }]);
  });

  it('duplicate replicate numbers name both lines; bad replicate numbers are refused', () => {
    const d = parse('label,rep,C\nP01,1,0.4\nP01,1,0.41\nP02,0,0.4\n');
    expect(d.errors).toMatchObject([
      { line: 3, message: 'P01 replicate 1 already appears on line 2' },
      { line: 4, message: 'replicate "0" is not a whole number from 1 to 20' },
    ]);
  });

  it('counts physical lines across blank lines, CRLF and quoted multi-line fields', () => {
    const t = 'label,C,note\r\n\r\nP01,0.4,"two\r\nlines"\r\nP02,x,\r\n';
    const p = parse(t);
    expect(p.rows[0].line).toBe(3);
    expect(p.errors).toMatchObject([{ line: 5, message: 'column "C": value "x" is not a plain decimal number' }]);
  });

  it('broken quotes name their line', () => {
    const p = parse('label,C\nP01,0.4\nP02,"0.4\n');
    expect(p.errors[0].line).toBe(3);
    expect(p.errors[0].message).toMatch(/quote/i);
  });

  it('a file without a usable header is refused with line 1 and what was expected', () => {
    expect(() => parse('foo,bar\n1,2\n')).toThrow(CsvFormatError);
    expect(() => parse('foo,bar\n1,2\n')).toThrow(/line 1: no header row with a point-label column/);
    expect(() => parse('')).toThrow(/line 1: the file is empty/);
    const only = parse('label,C\n');
    expect(only.errors).toMatchObject([{ line: 1, message: 'the header is followed by no readings' }]);
  });

  it('a user mapping overrides detection', () => {
    const p = parse('Probe;Value;C\nP01;0,31;9\n', { mapping: { label: 'Probe', carbon: 'Value' } });
    expect(p.errors).toMatchObject([]);
    expect(p.rows[0].carbonWtPct).toBe(0.31);
  });
});

describe('readings CSV export', () => {
  const points = [
    { label: 'P01', xMm: -88.3782455, yMm: -255.126, readings: [{ replicateNo: 2, carbonWtPct: 0.47, analyzer: null, operator: 'AK', measuredAt: null }, { replicateNo: 1, carbonWtPct: 0.45, analyzer: 'CS-2000', operator: 'AK', measuredAt: '2026-11-20' }] },
    { label: 'P02', xMm: 0, yMm: 0, readings: [] },
  ];

  it('writes one row per replicate with the importer’s columns', () => {
    const csv = readingsToCsv(points);
    expect(csv).toBe(
      'label,x_mm,y_mm,replicate,carbon_wt_pct,analyzer,operator,measured_at\r\n' +
      'P01,-88.378,-255.126,1,0.45,CS-2000,AK,2026-11-20\r\n' +
      'P01,-88.378,-255.126,2,0.47,,AK,\r\n',
    );
  });

  it('round-trips through the importer, also as ; with decimal commas', () => {
    for (const d of [',', ';'] as const) {
      const back = parse(readingsToCsv(points, d));
      expect(back.delimiter).toBe(d);
      expect(back.errors).toMatchObject([]);
      expect(back.rows.map((r) => [r.label, r.replicateNo, r.carbonWtPct, r.operator])).toEqual([['P01', 1, 0.45, 'AK'], ['P01', 2, 0.47, 'AK']]);
    }
  });
});

describe('readings CSV: strict numbers and structure (issue 9)', () => {
  it('a decimal comma in a comma file (P01,-88.38,-255.13,0,438) is refused by line, not read as 0 wt.%', () => {
    const r = parse('label,x_mm,y_mm,carbon_wt_pct\nP01,-88.38,-255.13,0,438\nP02,0,0,0.441\n');
    expect(r.rows.map((x) => x.label)).toEqual(['P02']);
    expect(r.errors).toMatchObject([{
      line: 2,
      message: 'has 5 fields where the header (line 1) has 4: "438" has no column — a decimal comma in a comma-separated file splits the number in two: write decimal points, or save with ";" as the delimiter',
    }]);
  });

  it('a row with empty fields past the header is refused saying so, not as a split decimal comma (task 24-D)', () => {
    expect(parse('label,C\nP01,0.438,,\nP02,0.434\n').errors).toMatchObject([{ line: 2, message: 'has 4 fields where the header (line 1) has 2: "", "" have no column — empty fields after the last column: delete the trailing delimiters, or give those columns a header' }]);
  });

  it('a row with fewer fields than the header is refused, naming the missing columns', () => {
    const r = parse('label,carbon,operator\nP01,0.45,AK\nP02,0.46\n');
    expect(r.errors).toMatchObject([{ line: 3, message: 'has 2 fields where the header (line 1) has 3: no value for column "operator" (is the delimiter "," right?)' }]);
  });

  it('refuses 0., .5, 1e-400, 4.9e-324, 0x37 and thousands separators by line, column and value', () => {
    const r = parse('label,C\nP01,0.\nP02,.5\nP03,1e-400\nP04,4.9e-324\nP05,0x37\nP06,"1,234.5"\nP07,0.45\n');
    expect(r.errors).toMatchObject([
      { line: 2, message: 'column "C": value "0." is not a plain decimal number' },
      { line: 3, message: 'column "C": value ".5" is not a plain decimal number' },
      { line: 4, message: 'column "C": value "1e-400" is too small to represent (it would read as 0)' },
      { line: 5, message: 'column "C": value "4.9e-324" is too small to represent exactly' },
      { line: 6, message: 'column "C": value "0x37" is not a plain decimal number' },
      { line: 7, message: 'column "C": value "1,234.5" is not a plain decimal number' },
    ]);
    expect(r.rows.map((x) => x.label)).toEqual(['P07']);
  });

  it('one file, one decimal mark: a ; file mixing marks is refused naming the cell; a declared mark wins', () => {
    const mixed = parse('label;C [%]\nP01;0,451\nP02;0,448\nP03;0.452\n');
    expect(mixed.decimalComma).toBe(true);
    expect(mixed.errors).toMatchObject([{ line: 4, message: 'column "C [%]": value "0.452" uses the decimal mark "." where "," is expected (this file uses ","; one file, one mark)' }]);
    const declared = parse('label;C [%]\nP01;0,451\nP02;0.448\nP03;0.452\n', { decimalMark: ',' });
    expect(declared.errors.map((e) => e.line)).toEqual([3, 4]);
    const points = parse('label;C [%]\nP01;0.451\nP02;0.448\n');
    expect([points.decimalComma, points.errors, points.rows.map((x) => x.carbonWtPct)]).toEqual([false, [], [0.451, 0.448]]);
    expect(parse('label,C\nP01,0.45\n', { decimalMark: ',' }).errors).toMatchObject([{ line: 1, message: 'a comma-separated file cannot use decimal commas: write decimal points, or save with ";" as the delimiter' }]);
  });

  it('a truncated last line ("1" where every other row has 3 decimals, no final line break) is refused', () => {
    const cut = parse('label,C\nP01,0.452\nP02,0.448\nP03,1');
    expect(cut.errors).toMatchObject([{ line: 4, message: 'column "C": value "1" has 0 decimals where every other row has 3, and the file ends without a line break: it looks cut short (if the value is right, end the file with a line break)' }]);
    expect(cut.rows.map((x) => x.label)).toEqual(['P01', 'P02']);
    expect(parse('label,C\nP01,0.452\nP02,0.448\nP03,0.45').errors[0]?.line).toBe(4);
    // the same value with its line break, or a file whose decimals vary anyway, is taken as written
    expect(parse('label,C\nP01,0.452\nP02,0.448\nP03,1\n').errors).toMatchObject([]);
    expect(parse('label,C\nP01,0.452\nP02,0.44\nP03,1').errors).toMatchObject([]);
    expect(parse('label,C\nP01,0.452\nP02,0.448\nP03,0.451').errors).toMatchObject([]);
    // a text column cut short is refused the same way (by its length); an unread column does not matter
    const date = parse('label,C,date\nP01,0.452,2026-11-20\nP02,0.448,2026-11-20\nP03,0.451,2026-11-2');
    expect(date.errors).toMatchObject([{ line: 4, message: 'column "date": value "2026-11-2" has 9 characters where every other row has 10, and the file ends without a line break: it looks cut short (if the value is right, end the file with a line break)' }]);
    expect(parse('label,C,S\nP01,0.452,0.012\nP02,0.448,0.011\nP03,0.451,0').errors).toMatchObject([]);
  });

  it('a stray line break of another kind splits the row, as every editor shows it, instead of hiding inside a field', () => {
    const r = parse('Sample;Weight [g];C [%]\r\nP01;0,5731\n;0,619\r\nP02;0,5;0,452\r\n');
    expect(r.errors.map((e) => e.line)).toEqual([2, 3]);
    expect(r.errors[0]!.message).toMatch(/^has 2 fields where the header \(line 1\) has 3/);
    expect(r.rows.map((x) => [x.label, x.line])).toEqual([['P02', 4]]);
  });

  it('repeated labels are refused unless declared, naming the labels and lines; a replicate column declares them', () => {
    const text = 'label,C\nP01,0.45\nP02,0.40\np1,0.47\nP02,0.41\nP01,0.46\n';
    const r = parse(text);
    expect(r.errors).toMatchObject([
      { line: 4, message: 'point P01 appears on lines 2, 4 ("p1"), 6: repeated labels are refused unless the file declares replicates (add a replicate column, mark each row\'s replicate in its label in column "label" — P01-R1, P01-R2 — or import with --replicates / "rows are replicates")', phrases: [{ code: 'readingsLabel.repeated' }] },
      { line: 5, message: 'point P02 appears on lines 3, 5: repeated labels are refused unless the file declares replicates (add a replicate column, mark each row\'s replicate in its label in column "label" — P02-R1, P02-R2 — or import with --replicates / "rows are replicates")' },
    ]);
    const declared = parse(text, { replicates: true });
    expect(declared.errors).toMatchObject([]);
    expect(declared.rows.map((x) => [x.label, x.replicateNo])).toEqual([['P01', 1], ['P02', 1], ['P01', 2], ['P02', 2], ['P01', 3]]);
    const withCol = parse('label,rep,C\nP01,1,0.45\nP01,2,0.47\n');
    expect([withCol.errors, withCol.rows.map((x) => x.replicateNo)]).toEqual([[], [1, 2]]);
    expect(parse('label,rep,C\nP01,0x1,0.45\n').errors).toMatchObject([{ line: 2, message: 'replicate "0x1" is not a whole number from 1 to 20' }]);
  });
});

describe('readings CSV: plant forms that stored a wrong number without a word (task 24-D)', () => {
  it('a carbon column with no unit whose values are above 2.5 but below 2500 is refused until its unit is said (‰, points of 0.01 wt.%, thousandths of a percent or ppm)', () => {
    // "C" 4.38, 4.34, 4.50 (a percent typed as per-mille: 0.438 wt.% = 4.38 ‰) had been read "ppm by magnitude" and
    // stored as 0.000438 wt.%, a thousand times too low, the reason saying "it can only be ppm"
    const permille = parse('label,C\nP01,4.38\nP02,4.34\nP03,4.50\n');
    expect(permille.errors).toMatchObject([{ line: 2, message: 'column "C" names no unit and its values (median 4.38) are not wt.% (above 2.5) yet not above 2500, where they could be ‰ (value "4.38": 0.438 wt.%), points of 0.01 wt.% (0.0438 wt.%), thousandths of a percent (0.00438 wt.%) or ppm (0.000438 wt.%): convert them to wt.% or ppm and say which in the header (C [%], C [ppm]), or confirm the unit (--unit, the import dialog\'s unit)' }]);
    expect(permille.errors[0].phrases?.[0]?.code).toBe('readingsCarbon.unitUnclear');
    expect(permille.unit).toMatchObject({ detected: 'ppm', source: 'magnitude', conflict: 'column "C" names no unit and the median value 4.38 could be ppm, ‰, points of 0.01 wt.% or thousandths of a percent' });
    // a typo "21" beside 0.434 (median 10.7) had made the whole file ppm: 0.0021 and 0.0000434 wt.%
    expect(parse('label,C\nP01,21\nP02,0.434\n').errors.map((e) => e.line)).toEqual([2, 3]);
    // confirmed, the values are read in the confirmed unit; above 2500 only ppm is possible
    expect(parse('label,C\nP01,45\nP02,44\n', { unit: 'ppm' }).rows.map((x) => x.carbonWtPct)).toEqual([0.0045, 0.0044]);
    const ppm = parse('label,C\nP01,4500\nP02,4400\n');
    expect([ppm.errors, ppm.unit.conflict, ppm.rows.map((x) => x.carbonWtPct)]).toEqual([[], null, [0.45, 0.44]]);
    // a header that names the unit decides it
    expect(parse('label,C [ppm]\nP01,45\nP02,44\n').rows.map((x) => x.carbonWtPct)).toEqual([0.0045, 0.0044]);
  });

  it('an unlabelled carbon column in thousandths of a percent (470 = 0.470 wt.%) is refused, not stored as 470 ppm (test fails before)', () => {
    // a plant's "C" in 0.001 % units had been read "ppm: median 433 is above 250, so it can only be ppm" and stored as
    // 0.0433 wt.%, ten times too low — a low-carbon steel's plausible value, so nothing downstream looked odd
    const thousandths = parse('label,C\nP01,470\nP02,433\nP03,455\n');
    expect(thousandths.errors.map((e) => [e.line, e.phrases?.[0]?.code])).toEqual([[2, 'readingsCarbon.unitUnclear']]);
    expect(thousandths.errors[0].message).toContain('thousandths of a percent (0.47 wt.%) or ppm (0.047 wt.%)');
    // said, it is read as said
    expect(parse('label,C [ppm]\nP01,470\nP02,433\n').rows.map((x) => x.carbonWtPct)).toEqual([0.047, 0.0433]);
    expect(parse('label,C\nP01,470\nP02,433\n', { unit: 'ppm' }).rows.map((x) => x.carbonWtPct)).toEqual([0.047, 0.0433]);
    // above 2500 no steel's carbon is thousandths of a percent: ppm, as before
    expect(parse('label,C\nP01,4700\nP02,4330\n').rows.map((x) => x.carbonWtPct)).toEqual([0.47, 0.433]);
  });

  it('a header whose percent is scaled (C [0.01%], C [10^-3 %], C (×10⁻³ %), C [1/1000 %], C (%×1000)) is refused, never read as wt.% (test fails before)', () => {
    // "C [0.01%]" over 2.35 (0.0235 wt.%) had been read "column says wt.%": stored 100 times too high
    for (const header of ['C [0.01%]', 'C [10^-3 %]', 'C (×10⁻³ %)', 'C [1/1000 %]', 'C (%×1000)', 'C [%x100]']) {
      const r = parse(`label,"${header}"\nP01,2.35\nP02,2.01\n`);
      expect(r.errors.map((e) => [e.line, e.phrases?.[0]?.code]), header).toEqual([[1, 'csvCarbonUnit.foreign']]);
      expect(r.unit.source, header).not.toBe('header');
    }
    expect(parse('label,"C [0.01%]"\nP01,2.35\n').errors[0].message).toBe('line 1: column "C [0.01%]" gives carbon in 0.01%, which is neither wt.% nor ppm: convert the values to wt.% or ppm and say which in the header'.replace(/^line 1: /, ''));
    // a plain percent, mass-% and wt. % stay wt.%
    for (const header of ['C [%]', 'C [mass-%]', 'C (wt. %)', 'C %']) {
      const r = parse(`label,"${header}"\nP01,0.45\nP02,0.44\n`);
      expect([r.errors, r.unit.source, r.rows.map((x) => x.carbonWtPct)], header).toEqual([[], 'header', [0.45, 0.44]]);
    }
  });

  it("a 'Position' column of bare numbers, alone, is an autoloader's slot as often as a point: refused until the label column is said (test fails before)", () => {
    // slots 1–3 of a shuffled load beside the readings of P03, P01, P02: read as P01, P02, P03, each reading on the wrong point
    const slots = parse('Position,C %\n1,0.41\n2,0.45\n3,0.43\n');
    expect(slots.errors.map((e) => [e.line, e.phrases?.[0]?.code])).toEqual([[2, 'readingsLabelColumn.slotNumbers']]);
    expect(slots.errors[0].message).toContain('column "Position" holds only bare numbers ("1")');
    // chosen as the label column (the import dialog), it is read as the user says
    expect(parse('Position,C %\n1,0.41\n2,0.45\n', { mapping: { label: 'Position' } }).rows.map((x) => x.label)).toEqual(['P01', 'P02']);
    // a "Sample" of bare numbers is a lab's own numbering of the points, read as before; "Position" naming points is read
    expect(parse('Sample,C %\n1,0.41\n2,0.45\n').rows.map((x) => x.label)).toEqual(['P01', 'P02']);
    expect(parse('Position,C %\nP01,0.41\nP02,0.45\n').rows.map((x) => x.label)).toEqual(['P01', 'P02']);
    // beside a column that names the points, "Position" is passed over as before
    expect(parse('Position,Sample,C %\n2,P01,0.41\n1,P02,0.45\n').rows.map((x) => [x.label, x.carbonWtPct])).toEqual([['P01', 0.41], ['P02', 0.45]]);
  });

  it('a carbon column with no unit whose median is below 0.025 is refused too: a mass fraction (0.0045 = 0.45 wt.%) reads as wt.% a hundred times too low', () => {
    const fraction = parse('label,C\nP01,0.00452\nP02,0.00448\nP03,0.00460\n');
    expect(fraction.errors).toMatchObject([{ line: 2, message: 'column "C" names no unit and its values (median 0.00452) are below 0.025, where they could be wt.% of an ultra-low-carbon steel or a mass fraction (value "0.00452": 0.452 wt.%): say the unit in the header (C [%], C [ppm]), or confirm it (--unit, the import dialog\'s unit)' }]);
    expect(fraction.errors[0].phrases?.[0]?.code).toBe('readingsCarbon.unitUnclearLow');
    expect(fraction.unit.conflict).toBe('column "C" names no unit and the median value 0.00452 could be wt.% or a mass fraction');
    expect(parse('label,C\nP01,0.00452\nP02,0.00448\n', { unit: 'wt_pct' }).rows.map((x) => x.carbonWtPct)).toEqual([0.00452, 0.00448]);
    expect(parse('label,C [%]\nP01,0.00452\nP02,0.00448\n').errors).toEqual([]);
    // a median between a 0 and a value above 0.025 names that value (no crash on where no value lies)
    expect(parse('label,C\nP01,0\nP02,0.03\n').errors.map((e) => [e.line, e.phrases?.[0]?.code])).toEqual([[2, 'readingsCarbon.zero'], [3, 'readingsCarbon.unitUnclearLow']]);
  });

  it('a value of 2.5 or less in a ppm file is refused: a wt.% value typed among ppm, or no steel\'s carbon', () => {
    // "0.438" among 4380, 4340 had been stored as 0.438 ppm = 0.0000438 wt.%
    const mixed = parse('label,C\nP01,4380\nP02,4340\nP03,0.438\n');
    expect(mixed.errors).toMatchObject([{ line: 4, message: 'column "C": value "0.438" read as ppm is 0.0000438 wt.%, below the carbon of any steel, while as wt.% it would be a steel\'s: the file mixes ppm and wt.%? write every value in one unit' }]);
    expect(mixed.errors[0].phrases?.[0]?.code).toBe('readingsCarbon.ppmTooSmall');
    expect(mixed.rows.map((x) => x.label)).toEqual(['P01', 'P02']);
    expect(parse('label,C [ppm]\nP01,4380\nP02,2\n').errors.map((e) => e.line)).toEqual([3]);
    expect(parse('label,C [ppm]\nP01,4380\nP02,2.6\n').errors).toEqual([]);
  });

  it('a carbon value of 0 is refused (an analyser writes 0 for an empty or failed burn), in any unit; an empty cell stays refused as empty', () => {
    for (const [text, value] of [['label,C\nP01,0.45\nP02,0\n', '0'], ['label;C [%]\nP01;0,45\nP02;0,000\n', '0,000'], ['label,C [ppm]\nP01,4500\nP02,-0\n', '-0']] as const) {
      const r = parse(text);
      expect(r.errors).toMatchObject([{ line: 3, message: `column "${r.mapping.carbon}": value "${value}" is no carbon reading of a steel (no steel has 0 % carbon; an analyser writes 0 for an empty or failed burn): delete the row, and the point keeps no reading` }]);
      expect(r.errors[0].phrases?.[0]?.code).toBe('readingsCarbon.zero');
      expect(r.rows.map((x) => x.label)).toEqual(['P01']);
    }
    expect(parse('label,C\nP01,0.45\nP02,\n').errors).toMatchObject([{ line: 3, message: 'the carbon value (column "C") is empty' }]);
  });
});

describe('readings CSV: a file whose point positions are not the billet\'s (task 24-D)', () => {
  const points = layoutPoints({ diameterMm: 600 });
  const grid = layoutPoints({ diameterMm: 600, pattern: 'grid' });
  const withPositions = (text: string, at = points) => parse(text, { knownPoints: at });

  it('refuses a row whose x, y are not where the billet has that point, naming line, columns and values', () => {
    // The synthetic billet's readings (hex85 positions) imported onto a billet laid out as a grid: P01 of the file at
    // (-88.38, -255.13) mm was stored on the grid's P01 at (-122.73, -220.91) mm — every reading on another spot
    const text = ['label,x_mm,y_mm,carbon_wt_pct', ...points.slice(0, 3).map((p, i) => `${p.label},${p.xMm.toFixed(2)},${p.yMm.toFixed(2)},0.4${i}`)].join('\n') + '\n';
    expect(withPositions(text).errors).toEqual([]);
    expect(withPositions(text).rows.map((r) => [r.label, r.carbonWtPct])).toEqual([['P01', 0.4], ['P02', 0.41], ['P03', 0.42]]);
    const moved = withPositions(text, grid);
    expect(moved.rows).toEqual([]);
    expect(moved.errors.map((e) => e.line)).toEqual([2, 3, 4]);
    expect(moved.errors[0]).toMatchObject({
      message: `point P01 is at ("${points[0].xMm.toFixed(2)}", "${points[0].yMm.toFixed(2)}") mm in the file (columns "x_mm", "y_mm") but at (${grid[0].xMm.toFixed(2)}, ${grid[0].yMm.toFixed(2)}) mm on the billet: the file was made for another layout of points, or the points moved since — lay the points out as the file has them, or, if its positions are in another frame, don't read them (--no-positions, or "not read" for the position columns in the import dialog)`,
      phrases: [{ code: 'readingsPosition.elsewhere' }],
    });
    // rounded to whole mm the positions still name the same points; a position written with the file's decimal comma too
    expect(withPositions(text.replace(/(-?\d+)\.\d\d,/g, '$1,')).errors).toEqual([]);
    const semi = ['Sample;X [mm];Y [mm];C [%]', `P02;${points[1].xMm.toFixed(1).replace('.', ',')};${points[1].yMm.toFixed(1).replace('.', ',')};0,41`].join('\n') + '\n';
    expect(withPositions(semi).errors).toEqual([]);
    // a position cell that is no number is refused like any read cell, naming the way not to read them; without positions nothing is compared
    expect(withPositions('label,x_mm,y_mm,C\nP01,abc,-255.13,0.45\n').errors).toMatchObject([{ line: 2, message: 'column "x_mm": value "abc" is not a plain decimal number (if the positions are not the billet\'s points in mm, don\'t read them: --no-positions, or "not read" in the import dialog)' }]);
    expect(withPositions('label,x_px,y_px,C\nP01,12,13,0.45\n').errors).toEqual([]);
    expect(parse(text.replace(/,-?\d+\.\d\d,-?\d+\.\d\d/g, ',1,1')).errors).toEqual([]);
  });
});

describe('readings CSV: positions that must not refuse a good file (task 24-H)', () => {
  const points = layoutPoints({ diameterMm: 600 });
  const at = (i: number, f = (v: number) => v.toFixed(1)) => [f(points[i]!.xMm), f(points[i]!.yMm)];

  it('chooses the decimal mark from the carbon and position columns together ("4500" ppm beside "10,5" mm)', () => {
    // the mark had been chosen from the carbon column alone: whole-number ppm said ".", and every position "10,5" was
    // refused as using "," where "." is expected
    const comma = (v: number) => v.toFixed(1).replace('.', ',');
    const text = ['Sample;x_mm;y_mm;C [ppm]', ...[0, 1, 2].map((i) => `${points[i]!.label};${at(i, comma).join(';')};45${i}0`)].join('\n') + '\n';
    const r = parse(text, { knownPoints: points });
    expect([r.errors, r.decimalComma, r.rows.map((x) => x.carbonWtPct)]).toEqual([[], true, [0.45, 0.451, 0.452]]);
  });

  it('judges "1,234" ambiguous on the carbon and position columns together: positions "10,5" settle the mark (task 24-I)', () => {
    // fails before: the carbon column alone was judged, so "1,234" was refused although the positions say "," is the mark
    const comma = (v: number) => v.toFixed(1).replace('.', ',');
    const rows = [0, 1, 2].map((i) => `${points[i]!.label};${at(i, comma).join(';')};1,23${2 * i}`);
    const r = parse(['Sample;x_mm;y_mm;C [%]', ...rows].join('\n') + '\n', { knownPoints: points });
    expect([r.errors, r.decimalComma, r.rows.map((x) => x.carbonWtPct)]).toEqual([[], true, [1.23, 1.232, 1.234]]);
    // carbon alone still refused when every position is whole: nothing in the file tells
    const whole = [0, 1, 2].map((i) => `${points[i]!.label};${at(i, (v) => v.toFixed(0)).join(';')};1,23${2 * i + 1}`);
    expect(parse(['Sample;x_mm;y_mm;C [%]', ...whole].join('\n') + '\n', { knownPoints: points }).errors.map((e) => e.line)).toEqual([2]);
  });

  it('does not read the position columns when told (mapping positions: null): a plan with y up imports', () => {
    const text = ['label,x,y,C', ...[0, 1].map((i) => `${points[i]!.label},${points[i]!.xMm.toFixed(1)},${(-points[i]!.yMm).toFixed(1)},0.4${i}`)].join('\n') + '\n';
    expect(parse(text, { knownPoints: points }).errors.map((e) => e.phrases?.[0]?.code)).toEqual(['readingsPosition.elsewhere', 'readingsPosition.elsewhere']);
    const off = parse(text, { knownPoints: points, mapping: { positions: null } });
    expect([off.errors, off.positions, off.rows.map((x) => x.carbonWtPct)]).toEqual([[], null, [0.4, 0.41]]);
  });

  it('checks a coordinate given beside a placeholder on its own (task 24-I)', () => {
    // fails before: one placeholder cell skipped the comparison, so x 999 beside y "-" was stored on P01's spot
    const text = ['label,x_mm,y_mm,C', `P01,999,-,0.45`, `P02,-,-999,0.44`, `P03,${at(2)[0]},n/a,0.43`, `P04,,${at(3)[1]},0.42`].join('\n') + '\n';
    const r = parse(text, { knownPoints: points });
    expect(r.errors.map((e) => [e.line, e.phrases?.[0]?.code])).toEqual([[2, 'readingsPosition.elsewhere'], [3, 'readingsPosition.elsewhere']]);
    expect(r.errors[0]!.message).toMatch(/^point P01 is at \("999", "-"\) mm in the file/);
    expect(r.rows.map((x) => x.label)).toEqual(['P03', 'P04']);
  });

  it('reads a placeholder cell ("-", empty, "n/a") as no position for its row; "10.5 mm" as mm; another unit is refused naming it', () => {
    const text = ['label,x_mm,y_mm,C', `P01,-,-,0.45`, `P02,,${at(1)[1]},0.44`, `P03,n/a,N/A,0.43`, `P04,${at(3)[0]} mm,${at(3)[1]}mm,0.42`].join('\n') + '\n';
    const r = parse(text, { knownPoints: points });
    expect([r.errors, r.rows.map((x) => x.label)]).toEqual([[], ['P01', 'P02', 'P03', 'P04']]);
    // a unit that is not the column's is refused, naming it; so is a row whose "mm" position is elsewhere
    const cm = parse(`label,x,y,C\nP01,${at(0)[0]} cm,${at(0)[1]},0.45\nP02,999 mm,${at(1)[1]},0.44\n`, { knownPoints: points });
    expect(cm.errors).toMatchObject([
      { line: 2, message: `column "x": value "${at(0)[0]} cm" is in "cm" where the column is read in mm (if the positions are not the billet's points in mm, don't read them: --no-positions, or "not read" in the import dialog)` },
      { line: 3, phrases: [{ code: 'readingsPosition.elsewhere' }] },
    ]);
  });
});

describe('readings CSV: one file, one billet (task 24-D, 24-H)', () => {
  it('refuses labels whose prefix is another billet of the data folder ("B13-P43" beside "B12-P01" where B13 is stored)', () => {
    // matched by their point number alone, B13's readings had been stored on this billet's P43…, and with
    // --replicates a B13-P05 became a second determination of B12-P05
    const text = 'Sample,C\nB12-P01,0.45\nB12-P02,0.44\nB13-P43,0.41\nB13-P44,0.40\n';
    const r = parse(text, { otherBillets: ['B 13', 'B14'] });
    expect(r.rows.map((x) => x.line)).toEqual([2, 3]);
    expect(r.errors).toMatchObject([
      { line: 4, message: 'column "Sample": label "B13-P43" names billet "B 13", another billet in this data folder: one file, one billet — import these readings into B 13', phrases: [{ code: 'readingsLabel.otherBillet' }] },
      { line: 5, phrases: [{ code: 'readingsLabel.otherBillet' }] },
    ]);
    expect(parse(text.replaceAll('B12-P0', 'B13-P0'), { replicates: true }).errors).toEqual([]);
    expect(parse('Sample,C\nB12-P05,0.45\nb12_p6,0.44\nP07,0.43\n', { otherBillets: ['B13'] }).errors).toEqual([]);
  });

  it('refuses one point named under two prefixes, whatever they are; reads dates and camera counters before the point', () => {
    // any text before "-P01" had counted as a billet name: a lab's dated or counted labels were refused on every row
    expect(parse('Sample,C\n20261120-P01,0.45\n20261121-P02,0.44\n', { otherBillets: ['B13'] }).rows.map((x) => [x.label, x.rawLabel])).toEqual([['P01', '20261120-P01'], ['P02', '20261121-P02']]);
    const counted = parse('Sample,C\nImg_001_P01,0.45\nImg_002_P02,0.44\nImg_003_P03,0.43\n', { otherBillets: ['B13'] });
    expect([counted.errors, counted.rows.map((x) => x.label)]).toEqual([[], ['P01', 'P02', 'P03']]);
    const twice = parse('Sample,C\nB12-P01,0.45\nB15-P01,0.44\n', { replicates: true });
    expect(twice.rows.map((x) => x.line)).toEqual([2]);
    expect(twice.errors).toMatchObject([{ line: 3, message: 'column "Sample": label "B15-P01" names another billet than line 2\'s "B12-P01" ("B15" and "B12"): one file, one billet — split the file by billet and import each into its own', phrases: [{ code: 'readingsLabel.twoBillets' }] }]);
  });

  it('refuses labels prefixed by another name when others carry the billet\'s own, before that billet is stored (task 24-I)', () => {
    // fails before: with B13 not stored, "B13-P43" was matched by its number and stored on B12's P43
    const text = 'Sample,C\nB12-P01,0.45\nB12-P02,0.44\nB13-P43,0.41\nB13-P44,0.40\n';
    const r = parse(text, { ownBillet: 'B-12' });
    expect(r.rows.map((x) => x.line)).toEqual([2, 3]);
    expect(r.errors).toMatchObject([
      { line: 4, message: 'column "Sample": label "B13-P43" names billet "B13" where line 2\'s "B12-P01" names this billet, B-12: one file, one billet — import the B13 rows into B13', phrases: [{ code: 'readingsLabel.notThisBillet' }] },
      { line: 5, phrases: [{ code: 'readingsLabel.notThisBillet' }] },
    ]);
    // no label names this billet: nothing to compare with (a file of B13's alone is the user's choice of billet)
    expect(parse(text.replaceAll('B12-P0', 'B14-P0'), { ownBillet: 'B12' }).errors).toEqual([]);
    // dates and camera counters beside the billet's own name are no other billet
    expect(parse('Sample,C\nB12-P01,0.45\n20261120-P02,0.44\nImg_001_P03,0.43\n', { ownBillet: 'B12' }).errors).toEqual([]);
    // a stored other billet is still named as such
    expect(parse(text, { ownBillet: 'B12', otherBillets: ['B13'] }).errors.map((e) => e.phrases?.[0]?.code)).toEqual(['readingsLabel.otherBillet', 'readingsLabel.otherBillet']);
  });

  it('reads one point on two dates as replicates; one point under two billet names stays refused (task 24-I)', () => {
    // fails before: "20261120-P05" and "20261121-P05" were refused as naming two billets
    const dated = parse('Sample,C\n20261120-P05,0.45\n20261121-P05,0.44\n', { replicates: true });
    expect([dated.errors, dated.rows.map((x) => [x.label, x.replicateNo])]).toEqual([[], [['P05', 1], ['P05', 2]]]);
    expect(parse('Sample,C\nB12-P05,0.45\nB13-P05,0.44\n', { replicates: true }).errors.map((e) => [e.line, e.phrases?.[0]?.code])).toEqual([[3, 'readingsLabel.twoBillets']]);
    // a date and a billet name on one point: either could be another billet's reading, refused
    expect(parse('Sample,C\n20261120-P05,0.45\nB13-P05,0.44\n', { replicates: true }).errors.map((e) => [e.line, e.phrases?.[0]?.code])).toEqual([[3, 'readingsLabel.twoBillets']]);
  });
});

describe('readings CSV: billets named by heat number (task 25-C)', () => {
  it('refuses a digit-only prefix that is another stored billet\'s name, naming line, column, label and billet; one that names no stored billet is read', () => {
    // heat 4711's readings imported into heat 4712: the same labels P05… would put them on 4712's points
    const r = parse('Sample,C\n4711-P05,0.45\n4711-P06,0.44\n', { ownBillet: '4712', otherBillets: ['4711', '23-0815'] });
    expect(r.rows).toEqual([]);
    expect(r.errors).toMatchObject([
      // fails before: the column was not named
      { line: 2, message: 'column "Sample": label "4711-P05" names billet "4711", another billet in this data folder: one file, one billet — import these readings into 4711', phrases: [{ code: 'readingsLabel.otherBillet', params: { column: 'Sample', label: '4711-P05', billet: '4711' } }] },
      { line: 3, phrases: [{ code: 'readingsLabel.otherBillet' }] },
    ]);
    // a cast number with a separator, spelt either way
    expect(parse('Sample,C\n23/0815-P05,0.45\n', { ownBillet: '23-0816', otherBillets: ['23-0815'] }).errors).toMatchObject([{ line: 2, phrases: [{ code: 'readingsLabel.otherBillet', params: { billet: '23-0815' } }] }]);
    // digits that are no stored billet's name stay a date or a counter: read
    const counted = parse('Sample,C\n4711-P05,0.45\n001-P06,0.44\n', { ownBillet: '4712', otherBillets: ['4713', 'K4711'] });
    expect([counted.errors, counted.rows.map((x) => x.label)]).toEqual([[], ['P05', 'P06']]);
  });

  it('a heat number on some labels is the billet\'s own name: a label prefixed by another name is refused, dates and counters are read', () => {
    // fails before: a digit-only own name was no evidence, so K4711's reading was stored on heat 4712's P43
    const r = parse('Sample,C\n4712-P01,0.45\n4712-P02,0.44\nK4711-P43,0.41\n20261120-P03,0.43\nImg_001_P04,0.42\n', { ownBillet: '4712' });
    expect(r.rows.map((x) => x.line)).toEqual([2, 3, 5, 6]);
    expect(r.errors).toMatchObject([{
      line: 4,
      message: 'column "Sample": label "K4711-P43" names billet "K4711" where line 2\'s "4712-P01" names this billet, 4712: one file, one billet — import the K4711 rows into K4711',
      phrases: [{ code: 'readingsLabel.notThisBillet' }],
    }]);
  });
});

describe('readings CSV: replicates marked in the label (task 25-C)', () => {
  it('reads "P05-R1"/"P05-R2" and "B12-P05_rep2" as replicates of P05, without --replicates', () => {
    // fails before: "P05-R2" was refused as no point
    const after = parse('Sample,C\nP05-R2,0.47\nP05-R1,0.45\np6 rep.1,0.44\n');
    expect([after.errors, after.rows.map((x) => [x.label, x.replicateNo])]).toEqual([[], [['P05', 2], ['P05', 1], ['P06', 1]]]);
    // with the billet's name: the mark is no billet prefix
    const named = parse('Sample,C\nB12-P05_rep1,0.45\nB12-P05-R2,0.47\nB12-P06,0.44\n', { ownBillet: 'B12', otherBillets: ['B13'] });
    expect([named.errors, named.rows.map((x) => [x.label, x.replicateNo])]).toEqual([[], [['P05', 1], ['P05', 2], ['P06', 1]]]);
    // a point's own label is never split; a file of marked labels takes its label column over an autoloader's positions
    expect(parse('Sample,C\nP05-R1,0.45\n', { knownLabels: ['P05-R1', 'P05'] }).rows.map((x) => [x.label, x.replicateNo])).toEqual([['P05-R1', 1]]);
    const slots = parse('Position,Sample,C\n1,P05-R1,0.45\n2,P05-R2,0.47\n3,P07-R1,0.44\n');
    expect([slots.mapping.label, slots.errors, slots.rows.map((x) => [x.label, x.replicateNo])]).toEqual(['Sample', [], [['P05', 1], ['P05', 2], ['P07', 1]]]);
  });

  it('refuses an unmarked repeat among marked rows, a mark given twice, and a mark the replicate column contradicts', () => {
    const mixed = parse('Sample,C\nP05,0.45\nP05-R2,0.47\n');
    expect(mixed.errors).toMatchObject([{ line: 3, message: 'point P05 appears on lines 2, 3 ("P05-R2"): repeated labels are refused unless the file declares replicates (add a replicate column, mark each row\'s replicate in its label in column "Sample" — P05-R1, P05-R2 — or import with --replicates / "rows are replicates")' }]);
    // declared replicates of one point, marked and not: file order and marks could disagree (task 25-G; before, numbered
    // in file order beside the mark)
    expect(parse('Sample,C\nP05,0.45\nP05-R2,0.47\n', { replicates: true }).errors).toMatchObject([{
      line: 3,
      message: 'column "Sample": label "P05-R2" marks a replicate of P05 where line 2\'s "P05" does not: marks order a point\'s burns and file order would too, which is not guessed — mark every row of P05 (P05-R1, P05-R2 …), or none',
      phrases: [{ code: 'readingsLabel.markMixed' }],
    }]);
    expect(parse('Sample,C\nP05-R1,0.45\nP05_R1,0.47\n').errors).toMatchObject([{
      line: 3,
      message: 'column "Sample": label "P05_R1" marks replicate 1 of P05, as line 2\'s "P05-R1" does: a mark orders a point\'s burns within the file, so each burn of P05 takes its own mark — correct one of them',
      phrases: [{ code: 'readingsLabel.markTwice', params: { column: 'Sample', label: 'P05_R1', point: 'P05', n: 1, line: 2, first: 'P05-R1' } }],
    }]);
    const col = parse('Sample,Run,C\nP05-R1,2,0.45\nP05-R2,2,0.47\n');
    expect(col.rows.map((x) => [x.line, x.replicateNo])).toEqual([[3, 2]]);
    expect(col.errors).toMatchObject([{
      line: 2,
      message: 'column "Sample": label "P05-R1" marks replicate R1 where column "Run" says 2: give each row\'s replicate once (the column or the label\'s mark), or make them agree',
      phrases: [{ code: 'readingsLabel.replicateDisagrees' }],
    }]);
  });

  it('a bare number after the point ("P05/2") is refused saying the form that marks a replicate, with line, column and value', () => {
    const r = parse('Sample,C\nP05,0.45\nP05/2,0.47\n');
    expect(r.rows.map((x) => x.line)).toEqual([2]);
    expect(r.errors).toMatchObject([{
      line: 3,
      message: 'column "Sample": label "P05/2" names no point: a number after the point is not read as a replicate — if it is replicate 2 of P05, write P05-R2, or give the replicates in a replicate column',
      phrases: [{ code: 'readingsLabel.replicateForm', params: { column: 'Sample', label: 'P05/2', point: 'P05', n: '2' } }],
    }]);
  });

  it('a mark spelt as a stored billet\'s name is that billet; one outside 1…20 is no mark', () => {
    // a billet named R1 in this data folder: "R1-P05" stays its reading, refused
    expect(parse('Sample,C\nR1-P05,0.45\n', { ownBillet: 'B12', otherBillets: ['R1'] }).errors.map((e) => e.phrases?.[0]?.code)).toEqual(['readingsLabel.otherBillet']);
    // "R25": a name, not a replicate (at most 20): with the billet's own name on other labels, another billet's
    expect(parse('Sample,C\nB12-P01,0.45\nR25-P05,0.47\n', { ownBillet: 'B12' }).errors.map((e) => [e.line, e.phrases?.[0]?.code])).toEqual([[3, 'readingsLabel.notThisBillet']]);
    expect(parse('Sample,C\nP05-R25,0.47\n').errors).toMatchObject([{ line: 2, message: 'unknown point label "P05-R25" (the billet has P01…P85)' }]);
  });
});

describe('readings CSV: replicate marks that are names, ring numbers or other labels (task 25-E)', () => {
  const pairs = (r: ReturnType<typeof parse>) => r.rows.map((x) => [x.label, x.replicateNo]);
  const codes = (r: ReturnType<typeof parse>) => r.errors.map((e) => [e.line, e.phrases?.[0]?.code ?? e.message]);

  it('a billet name ending in R<n> is a name, not a replicate mark: another billet\'s labels are refused, the own billet\'s read unmarked', () => {
    // fails before: "B12-R1-P01" into B12-R2 with B12-R1 stored was read as "B12-P01" replicate 1 and stored
    const other = parse('Sample,C\nB12-R1-P01,0.45\nB12-R1-P02,0.46\nB12-R1-P03,0.47\n', { ownBillet: 'B12-R2', otherBillets: ['B12-R1'] });
    expect([other.rows.length, other.errors]).toMatchObject([0, [2, 3, 4].map((line) => ({
      line, message: `column "Sample": label "B12-R1-P0${line - 1}" names billet "B12-R1", another billet in this data folder: one file, one billet — import these readings into B12-R1`,
    }))]);
    // fails before: the own name's "R2" was read as replicate 2 and B13's row beside it accepted
    const own = parse('Sample,C\nB12-R2-P01,0.45\nB12-R2-P02,0.46\nB13-P03,0.47\n', { ownBillet: 'B12-R2' });
    expect(pairs(own)).toEqual([['P01', 1], ['P02', 1]]);
    expect(codes(own)).toEqual([[4, 'readingsLabel.notThisBillet']]);
    expect(own.errors[0]!.message).toBe('column "Sample": label "B13-P03" names billet "B13" where line 2\'s "B12-R2-P01" names this billet, B12-R2: one file, one billet — import the B13 rows into B13');
    // a mark after the own name's mark is still a replicate ("B12-R2-P05-R2": B12-R2's P05, burn 2)
    expect(pairs(parse('Sample,C\nB12-R2-P05-R1,0.45\nB12-R2-P05-R2,0.46\n', { ownBillet: 'B12-R2' }))).toEqual([['P05', 1], ['P05', 2]]);
  });

  it('refuses a mark before the point (ring or ray numbering is written so), naming line, column, value and the form to write (task 25-G)', () => {
    // fails before: rings of equal size (every point in each ring) were read as two burns of each point and averaged
    const rings = parse('label,C\nR1-P01,0.45\nR1-P02,0.46\nR2-P01,0.50\nR2-P02,0.51\n');
    expect(rings.rows).toEqual([]);
    expect(codes(rings)).toEqual([2, 3, 4, 5].map((line) => [line, 'readingsLabel.markBefore']));
    expect(rings.errors[2]).toMatchObject({
      line: 4,
      message: 'column "label": label "R2-P01" writes a replicate mark before the point ("R2"), as ring or ray numbering is written too (rings of equal size cannot be told from burns): it is not read — if it is replicate 2 of P01, write P01-R2 (the mark after the point), or give the replicates in a replicate column',
      phrases: [{ code: 'readingsLabel.markBefore', params: { column: 'label', label: 'R2-P01', mark: 'R2', point: 'P01', n: 2 } }],
    });
    // before a billet's name too, where "B12-R2" names no billet; a whole prefix that is a billet's name is that name
    expect(codes(parse('label,C\nB12-R2-P05,0.45\n', { ownBillet: 'B12' }))).toEqual([[2, 'readingsLabel.markBefore']]);
    expect(pairs(parse('label,C\nB12-R2-P05,0.45\n', { ownBillet: 'B12-R2' }))).toEqual([['P05', 1]]);
    expect(codes(parse('label,C\nB12-R2-P05,0.45\n', { ownBillet: 'B13', otherBillets: ['B12-R2'] }))).toEqual([[2, 'readingsLabel.otherBillet']]);
  });

  it('marks order a point\'s burns within the file: gaps allowed (a failed burn deleted), numbered 1…k in mark order (task 25-G)', () => {
    // fails before: "P05-R2, P05-R3" after deleting the failed "P05-R1,0" was refused as a gap, and "P05-R2" alone
    const deleted = parse('label,C\nP05-R3,0.46\nP05-R2,0.45\nP06-R2,0.44\n');
    expect([deleted.errors, deleted.rows.map((x) => [x.line, x.label, x.replicateNo, x.carbonWtPct])]).toEqual([[], [[2, 'P05', 2, 0.46], [3, 'P05', 1, 0.45], [4, 'P06', 1, 0.44]]]);
    // a trailing mark that equals a billet's name is still a mark: names stand before the point
    const named = parse('label,C\nP05-R1,0.45\nP05-R2,0.46\n', { ownBillet: 'B12', otherBillets: ['R2'] });
    expect([named.errors, pairs(named)]).toEqual([[], [['P05', 1], ['P05', 2]]]);
  });

  it('a point\'s own label written with other separators ("P05_R2" for the point P05-R2) is that point, not P05\'s replicate 2', () => {
    // fails before: P05_R2 landed on P05 as replicate 2
    const r = parse('label,C\nP05_R2,0.45\nP05 R1,0.44\n', { knownLabels: ['P05', 'P05-R1', 'P05-R2'] });
    expect([r.errors, pairs(r)]).toEqual([[], [['P05-R2', 1], ['P05-R1', 1]]]);
  });

  it('a column of numbers with a mark ("5-R1") beside one of numbers ("Position") is ambiguous, naming both; alone it is read; "Point" P05 beside it wins', () => {
    // fails before (task 25-G): "Position" won without a word, the readings stored on P01, P02
    const slots = parse('Position,Sample,C\n1,12-R1,0.45\n2,12-R2,0.46\n');
    expect(slots.errors).toMatchObject([{
      line: 2,
      message: 'columns "Position" ("1") and "Sample" ("12-R1") could both name the sampling points — a number, and a number with a replicate mark — and which one does is not guessed: choose the point label column in the import dialog, or delete the other column from the file',
      phrases: [{ code: 'readingsLabelColumn.markedNumbers', params: { numbers: 'Position', number: '1', marked: 'Sample', markedValue: '12-R1' } }],
    }]);
    const alone = parse('Sample,C\n5-R1,0.45\n5 R2,0.46\n6-R1,0.44\n');
    expect([alone.errors, pairs(alone)]).toEqual([[], [['P05', 1], ['P05', 2], ['P06', 1]]]);
    // chosen by the user, the column is read as chosen
    expect(pairs(parse('Position,Sample,C\n1,5-R1,0.45\n2,5-R2,0.46\n', { mapping: { label: 'Sample' } }))).toEqual([['P05', 1], ['P05', 2]]);
    const point = parse('Point,Sample,C\nP05,12-R1,0.45\nP06,12-R1,0.46\n');
    expect([point.mapping.label, point.errors, pairs(point)]).toEqual(['Point', [], [['P05', 1], ['P06', 1]]]);
    // a marked label written as the points are ("P05-R1") still wins over positions
    expect(parse('Position,Sample,C\n1,P05-R1,0.45\n2,P05-R2,0.46\n').mapping.label).toBe('Sample');
  });

  it('appending, marks number the file\'s burns as unmarked rows are (after the stored ones, importRows); the preview refuses a point past the maximum', () => {
    // fails before: "P05-R1" beside a stored replicate 1 was refused (an analyser restarting its marks each session)
    const again = parse('label,C\nP05-R1,0.46\nP05-R2,0.47\n', { storedReplicates: new Map([['P05', [1, 2]]]) });
    expect([again.errors, pairs(again)]).toEqual([[], [['P05', 1], ['P05', 2]]]);
    const full = parse('label,C\nP05-R1,0.46\nP05-R2,0.47\n', { storedReplicates: new Map([['P05', Array.from({ length: 19 }, (_, i) => i + 1)]]) });
    // the number in brackets is the highest stored replicate, not a count (stored 1 and 19: "19 stored" had said 19 burns)
    expect(full.errors).toMatchObject([{ line: 3, message: 'more than 20 replicates for P05 (appended after the highest stored replicate, 19, this is replicate 21)' }]);
    const gap = parse('label,C\nP05-R1,0.46\nP05-R2,0.47\n', { storedReplicates: new Map([['P05', [1, 19]]]) });
    expect(gap.errors).toMatchObject([{ line: 3, message: 'more than 20 replicates for P05 (appended after the highest stored replicate, 19, this is replicate 21)' }]);
  });

  it('marked and unmarked rows of one point are refused beside a replicate column that gives neither, in both orders (task 25-I)', () => {
    // fails before: any replicate column, even an empty one, let "P05-R2, P05" through as replicates 1 and 2, and the
    // other order was refused as "P05 replicate 1 already appears" for the row labelled P05-R2
    const mixed = (plainLine: number) => [{
      line: 3,
      message: `column "Sample": label "P05-R2" marks a replicate of P05 where line ${plainLine}'s "P05" does not: marks order a point's burns and file order would too, which is not guessed — mark every row of P05 (P05-R1, P05-R2 …), or none`,
      phrases: [{ code: 'readingsLabel.markMixed', params: { column: 'Sample', label: 'P05-R2', point: 'P05', line: plainLine, plain: 'P05' } }],
    }];
    const markedFirst = parse('Sample,Rep,C\nP05-R2,,0.45\nP05,,0.46\nP06,,0.44\n');
    expect([markedFirst.errors, pairs(markedFirst)]).toMatchObject([mixed(3), [['P06', 1]]]);
    const plainFirst = parse('Sample,Rep,C\nP05,,0.45\nP05-R2,,0.46\nP06,,0.44\n');
    expect([plainFirst.errors, pairs(plainFirst)]).toMatchObject([mixed(2), [['P06', 1]]]);
    // declared replicates: the same
    expect(parse('Sample,Rep,C\nP05-R2,,0.45\nP05,,0.46\n', { replicates: true }).errors).toMatchObject(mixed(3));
    // the column gives the plain row's replicate: no mixed rule; a marked row numbered 1 by its mark beside the
    // column's 1 is refused, saying how the marked row was numbered
    const given = parse('Sample,Rep,C\nP05,1,0.45\nP05-R2,,0.46\n');
    expect([given.errors, pairs(given)]).toMatchObject([[{ line: 3, message: 'P05 replicate 1 already appears on line 2 (label "P05-R2": marks number a point\'s marked rows 1, 2 … in mark order; give every row of P05 its replicate in the column or none)' }], [['P05', 1]]]);
    expect(pairs(parse('Sample,Rep,C\nP05,2,0.45\nP05-R1,,0.46\n'))).toEqual([['P05', 2], ['P05', 1]]);
    // unmarked rows with an empty replicate column are file order, as before
    expect(pairs(parse('Sample,Rep,C\nP05,,0.45\nP05,,0.46\n'))).toEqual([['P05', 1], ['P05', 2]]);
  });

  it('a column of numbers that name no point ("ID" 1001, "Position" 101 on an 85-point billet) does not compete with "5-R1" (task 25-I)', () => {
    // fails before: refused as ambiguous, naming "ID" ("1001") and "Sample" ("5-R1")
    const lims = parse('ID,Sample,C\n1001,5-R1,0.45\n1002,5-R2,0.46\n');
    expect([lims.mapping.label, lims.errors, pairs(lims)]).toEqual(['Sample', [], [['P05', 1], ['P05', 2]]]);
    expect(labels).toHaveLength(85);
    const slots = parse('Position,Sample,C\n101,5-R1,0.45\n102,5-R2,0.46\n');
    expect([slots.mapping.label, slots.errors, pairs(slots)]).toEqual(['Sample', [], [['P05', 1], ['P05', 2]]]);
    // numbers that do name points still compete
    expect(parse('Position,Sample,C\n85,5-R1,0.45\n86,5-R2,0.46\n').errors.map((e) => e.phrases?.[0]?.code)).toContain('readingsLabelColumn.markedNumbers');
  });

  it('says why a mark was not read where the mark is a billet\'s name, and that "12.5" is a decimal, not P12\'s replicate 5', () => {
    // fails before: the advice was "mark each row's replicate in its label", which the file did
    const own = parse('label,C\nP05,0.45\nR2-P05,0.46\n', { ownBillet: 'R2' });
    expect(own.errors).toMatchObject([{
      line: 3,
      message: 'point P05 appears on lines 2, 3 ("R2-P05"): label "R2-P05" in column "label" is read as a billet\'s point, not as replicate 2, because "R2" is a billet\'s name in this data folder — mark the replicates after the point (P05-R1, P05-R2) or give them in a replicate column',
      phrases: [{ code: 'readingsLabel.repeatedMarkIsBillet' }],
    }]);
    // the name the mark is part of: "B12-R2", not "R2"
    expect(parse('label,C\nP05-R1,0.45\nB12-R2-P05,0.46\n', { ownBillet: 'B12-R2' }).errors[0]!.message).toContain('because "B12-R2" is a billet\'s name in this data folder');
    // fails before: "write P12-R5 (or R5-P12)"
    expect(parse('label,C\n12.5,0.45\n').errors).toMatchObject([{
      line: 2,
      message: 'column "label": label "12.5" names no point: a decimal in a label? Points are named by their label (P05) or number (5) — check that this is the point label column',
      phrases: [{ code: 'readingsLabel.decimal', params: { column: 'label', label: '12.5' } }],
    }]);
  });
});
