import { inflateSync } from 'node:zlib';

/**
 * A small, strict PDF reader for the report tests (pdfjs-dist was dropped from the project's
 * dependencies). It walks the cross-reference table the way a viewer does — so a broken xref, a bad
 * offset or an unreadable stream fails the test — and extracts what the tests assert: page count and
 * sizes, images painted per page, and the text per page decoded through each font's ToUnicode CMap
 * (embedded TrueType, Identity-H) or WinAnsi (standard 14 fonts).
 */
export interface ParsedPdf {
  pages: number;
  sizes: { width: number; height: number }[];
  text: string[];
  imagesPerPage: number[];
  info: Record<string, string>;
}

interface PdfObject {
  dict: string;
  stream: Buffer | null;
}

export function parsePdf(bytes: Buffer): ParsedPdf {
  if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') throw new Error('not a PDF: missing %PDF- header');
  const tail = bytes.subarray(Math.max(0, bytes.length - 2048)).toString('latin1');
  const sx = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  if (!sx) throw new Error('no startxref/%%EOF at the end of the file');
  const xrefAt = Number(sx[1]);
  const xrefText = bytes.subarray(xrefAt).toString('latin1');
  if (!xrefText.startsWith('xref')) throw new Error(`startxref ${xrefAt} does not point at an xref table`);
  const offsets = new Map<number, number>();
  const lines = xrefText.split(/\r?\n/);
  let li = 1;
  while (li < lines.length && /^\d+ \d+\s*$/.test(lines[li].trim())) {
    const [first, count] = lines[li].trim().split(/\s+/).map(Number);
    for (let k = 0; k < count; k++) {
      const m = /^(\d{10}) (\d{5}) ([nf])/.exec(lines[li + 1 + k]);
      if (!m) throw new Error(`bad xref entry for object ${first + k}`);
      if (m[3] === 'n') offsets.set(first + k, Number(m[1]));
    }
    li += 1 + count;
  }
  const trailer = /trailer\s*<<([\s\S]*?)>>\s*startxref/.exec(xrefText);
  if (!trailer) throw new Error('no trailer');

  const cache = new Map<number, PdfObject>();
  const obj = (id: number): PdfObject => {
    const hit = cache.get(id);
    if (hit) return hit;
    const at = offsets.get(id);
    if (at === undefined) throw new Error(`object ${id} is not in the xref table`);
    const head = bytes.subarray(at, at + 64).toString('latin1');
    if (!head.startsWith(`${id} 0 obj`)) throw new Error(`xref offset of object ${id} does not point at "${id} 0 obj"`);
    const text = bytes.subarray(at).toString('latin1');
    const s = text.search(/\bstream\r?\n/);
    const e = text.indexOf('endobj');
    let o: PdfObject;
    if (s >= 0 && s < e) {
      const dict = text.slice(`${id} 0 obj`.length, s);
      const lenM = /\/Length\s+(\d+)(\s+0\s+R)?/.exec(dict);
      if (!lenM) throw new Error(`stream object ${id} has no /Length`);
      const len = lenM[2] ? Number(/^\s*(\d+)/.exec(obj(Number(lenM[1])).dict)![1]) : Number(lenM[1]);
      const start = at + s + (text[s + 6] === '\r' ? 8 : 7);
      const raw = bytes.subarray(start, start + len);
      if (!bytes.subarray(start + len, start + len + 20).toString('latin1').includes('endstream')) throw new Error(`stream ${id}: /Length ${len} does not end at endstream`);
      o = { dict, stream: /\/Filter\s*\/FlateDecode/.test(dict) ? inflateSync(raw) : raw };
    } else {
      o = { dict: text.slice(`${id} 0 obj`.length, e), stream: null };
    }
    cache.set(id, o);
    return o;
  };
  const ref = (dict: string, key: string): number | null => {
    const m = new RegExp(`/${key}\\s+(\\d+)\\s+0\\s+R`).exec(dict);
    return m ? Number(m[1]) : null;
  };
  const subDict = (dict: string, key: string): string => {
    const inline = new RegExp(`/${key}\\s*<<([\\s\\S]*?)>>`).exec(dict);
    if (inline) return inline[1];
    const r = ref(dict, key);
    return r === null ? '' : obj(r).dict;
  };

  const rootId = ref(trailer[1], 'Root');
  if (rootId === null) throw new Error('trailer has no /Root');
  const info: Record<string, string> = {};
  const infoId = ref(trailer[1], 'Info');
  if (infoId !== null) {
    const str = (t: string) => {
      const lit = /^\s*\(((?:\\.|[^\\)])*)\)/.exec(t);
      if (lit) return lit[1].replace(/\\(.)/g, '$1');
      const hex = /^\s*<([0-9a-fA-F]*)>/.exec(t);
      if (hex) return hex[1].toUpperCase().startsWith('FEFF') ? Buffer.from(hex[1].slice(4), 'hex').swap16().toString('utf16le') : Buffer.from(hex[1], 'hex').toString('latin1');
      return '';
    };
    const infoDict = obj(infoId).dict.replace(/^\s*<<|>>\s*$/g, '');
    for (const m of infoDict.matchAll(/\/(\w+)\s+(\d+\s+0\s+R|\((?:\\.|[^\\)])*\)|<[0-9a-fA-F]*>)/g)) {
      const ind = /^(\d+)\s+0\s+R$/.exec(m[2]);
      info[m[1]] = str(ind ? obj(Number(ind[1])).dict : m[2]);
    }
  }

  // page tree, in order
  const pageIds: number[] = [];
  const walk = (id: number) => {
    const d = obj(id).dict;
    if (/\/Type\s*\/Pages/.test(d)) {
      const kids = /\/Kids\s*\[([^\]]*)\]/.exec(d);
      for (const k of kids ? kids[1].matchAll(/(\d+)\s+0\s+R/g) : []) walk(Number(k[1]));
    } else if (/\/Type\s*\/Page\b/.test(d)) pageIds.push(id);
  };
  walk(ref(obj(rootId).dict, 'Pages')!);

  const fontMaps = new Map<number, ((hex: string) => string) | null>();
  const decoderFor = (fontId: number) => {
    if (fontMaps.has(fontId)) return fontMaps.get(fontId)!;
    const tu = ref(obj(fontId).dict, 'ToUnicode');
    let dec: ((hex: string) => string) | null = null;
    if (tu !== null) {
      const cmap = obj(tu).stream!.toString('latin1');
      const map = new Map<number, string>();
      const u16 = (h: string) => String.fromCharCode(...(h.replace(/\s+/g, '').match(/.{4}/g) ?? []).map((x) => parseInt(x, 16)));
      for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) for (const m of block[1].matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) map.set(parseInt(m[1], 16), u16(m[2]));
      for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
        for (const m of block[1].matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(?:<([0-9a-fA-F]+)>|\[([^\]]*)\])/g)) {
          const lo = parseInt(m[1], 16);
          const hi = parseInt(m[2], 16);
          if (m[3]) {
            const base = parseInt(m[3], 16);
            for (let c = lo; c <= hi; c++) map.set(c, String.fromCharCode(base + c - lo));
          } else {
            const arr = [...m[4].matchAll(/<([0-9a-fA-F\s]+)>/g)].map((x) => u16(x[1]));
            for (let c = lo; c <= hi; c++) map.set(c, arr[c - lo] ?? '');
          }
        }
      }
      const width = /begincodespacerange\s*<([0-9a-fA-F]+)>/.exec(cmap)?.[1].length ?? 4;
      dec = (hex) => (hex.match(new RegExp(`.{${width}}`, 'g')) ?? []).map((c) => map.get(parseInt(c, 16)) ?? '').join('');
    }
    fontMaps.set(fontId, dec);
    return dec;
  };

  const out: ParsedPdf = { pages: pageIds.length, sizes: [], text: [], imagesPerPage: [], info };
  for (const pid of pageIds) {
    const d = obj(pid).dict;
    const mb = /\/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]/.exec(d);
    if (!mb) throw new Error(`page ${pid} has no MediaBox`);
    out.sizes.push({ width: Math.round(Number(mb[3]) - Number(mb[1])), height: Math.round(Number(mb[4]) - Number(mb[2])) });
    const res = subDict(d, 'Resources');
    const fonts = new Map<string, number>();
    for (const m of subDict(res, 'Font').matchAll(/\/([\w.+-]+)\s+(\d+)\s+0\s+R/g)) fonts.set(m[1], Number(m[2]));
    const images = new Set<string>();
    for (const m of subDict(res, 'XObject').matchAll(/\/([\w.+-]+)\s+(\d+)\s+0\s+R/g)) {
      if (/\/Subtype\s*\/Image/.test(obj(Number(m[2])).dict)) images.add(m[1]);
    }
    const contents = /\/Contents\s*(\[[^\]]*\]|\d+\s+0\s+R)/.exec(d);
    const streams = contents ? [...contents[1].matchAll(/(\d+)\s+0\s+R/g)].map((m) => obj(Number(m[1])).stream!.toString('latin1')) : [];
    const content = streams.join('\n');
    let painted = 0;
    for (const m of content.matchAll(/\/([\w.+-]+)\s+Do\b/g)) if (images.has(m[1])) painted++;
    out.imagesPerPage.push(painted);
    let font: number | null = null;
    const runs: string[] = [];
    for (const m of content.matchAll(/\/([\w.+-]+)\s+[\d.]+\s+Tf|\[((?:<[0-9a-fA-F]*>|[-\d.\s])*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g)) {
      if (m[1]) {
        font = fonts.get(m[1]) ?? null;
        continue;
      }
      const hexes = m[2] !== undefined ? [...m[2].matchAll(/<([0-9a-fA-F]*)>/g)].map((x) => x[1]) : [m[3]];
      const dec = font === null ? null : decoderFor(font);
      runs.push(hexes.map((h) => (dec ? dec(h) : Buffer.from(h, 'hex').toString('latin1'))).join(''));
    }
    out.text.push(runs.join(' '));
  }
  return out;
}
