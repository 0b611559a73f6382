// One way of reading a 16-bit image's maximum, in its own process so that its peak RSS is its own
// (bench/imaging.ts, section "16-bit maximum"). Prints one JSON line.
import { readFileSync } from 'node:fs';
import sharp, { type SharpOptions } from 'sharp';
import { streamedColourMax } from '../core/imaging/colour-max.js';

const [method, file] = process.argv.slice(2);
const open = (opts: SharpOptions = {}) => sharp(file, { limitInputPixels: false, failOn: 'error', ...opts });
const meta = await open().metadata();
const rssBeforeMB = process.memoryUsage.rss() / 2 ** 20; // after tsx and sharp are loaded
const t0 = performance.now();
let max = Number.NaN;
if (method === 'stats') max = (await open().stats()).channels[0].max;
else if (method === 'stats-sequential') max = (await open({ sequentialRead: true }).stats()).channels[0].max;
else if (method === 'strips') {
  // 1024-row strips cut with extract, each decoded from the top of the file (PNG has no random access)
  max = 0;
  for (let top = 0; top < meta.height!; top += 1024) {
    const d = await open({ sequentialRead: true }).extract({ left: 0, top, width: meta.width!, height: Math.min(1024, meta.height! - top) }).toColourspace('grey16').raw({ depth: 'ushort' }).toBuffer();
    const v = new Uint16Array(d.buffer, d.byteOffset, d.length / 2);
    for (let i = 0; i < v.length; i++) if (v[i] > max) max = v[i];
  }
} else if (method === 'streamed') max = await streamedColourMax(open(), { channels: meta.channels!, hasAlpha: Boolean(meta.hasAlpha) });
else if (method !== 'baseline') throw new Error(`unknown method ${method}`);
const ru = process.resourceUsage();
// Linux: the peak of this process's own memory (VmHWM). getrusage's maxRSS also keeps the RSS the parent had when it
// forked this process (the 8000² test image's buffer, or the section bench before), which hides the differences.
const hwm = /^VmHWM:\s+(\d+) kB/m.exec(process.platform === 'linux' ? readFileSync('/proc/self/status', 'utf8') : '');
const peakKB = hwm ? Number(hwm[1]) : ru.maxRSS;
console.log(JSON.stringify({ max, rssBeforeMB, peakRssMB: peakKB / 1024, wallMs: performance.now() - t0, cpuS: (ru.userCPUTime + ru.systemCPUTime) / 1e6 }));
