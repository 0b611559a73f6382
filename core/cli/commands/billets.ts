import { english } from '../../runtime/english.js';
import type { CliCommand } from '../command.js';
import { localClient } from '../../app/dispatch.js';
import { followJob } from '../run-job.js';
import { resolveBillet } from './segregation.js';
import type { PoreSummary } from '../../api/methods/images.js';
import { counted } from '../counted.js';

const poreText = (p: PoreSummary) =>
  p.status === 'detected'
    ? `${p.count} (≥ ${p.minDiameterMm!.toFixed(1)} mm), ${(p.areaFraction! * 100).toFixed(3)} % of the section` +
      (p.pores.length ? `; largest ${p.pores[0].diameterMm.toFixed(1)} mm at (${p.pores[0].xMm.toFixed(0)}, ${p.pores[0].yMm.toFixed(0)}) mm` : '')
    : p.status === 'not-run'
      ? 'not searched yet (ferrolab billet pores BILLET --detect)'
      : `not searched (${p.status === 'no-section' ? 'no section image' : 'section not calibrated'})`;

export const billetCommands: CliCommand[] = [
  {
    path: ['billet', 'list'],
    usage: 'ferrolab billet list [--json]',
    summary: 'List billets',
    async run({ ctx, io }) {
      const list = await localClient(ctx!)['billets.list']({});
      io.result(list, (l) =>
        l.length
          ? l.map((b) => `${String(b.id).padStart(4)}  ${b.name}${b.synthetic ? ' (synthetic)' : ''}  Ø${b.nominalDiameterMm} mm  ${counted(b.pointCount, 'point')}, ${counted(b.readingCount, 'reading')}`).join('\n')
          : 'no billets yet',
      );
    },
  },
  {
    path: ['billet', 'show'],
    usage: 'ferrolab billet show BILLET [--json]',
    summary: 'One billet: its record, section image and pores detected',
    async run({ positionals, ctx, io }) {
      const id = resolveBillet(ctx!, positionals[0]);
      const api = localClient(ctx!);
      const [billet, image, pores] = [await api['billets.get']({ id }), await api['images.forBillet']({ billetId: id }), await api['images.pores']({ billetId: id })];
      io.result({ billet, image, pores }, (r) =>
        [
          `${String(r.billet.id).padStart(4)}  ${r.billet.name}${r.billet.synthetic ? ' (synthetic)' : ''}  Ø${r.billet.nominalDiameterMm} mm  ${counted(r.billet.pointCount, 'point')}, ${counted(r.billet.readingCount, 'reading')}`,
          `section: ${r.image ? `${r.image.width}×${r.image.height} px${r.image.mmPerPx ? `, ${r.image.mmPerPx.toFixed(4)} mm/px` : ', not calibrated'}` : 'none'}`,
          ...(r.image?.scaleWarning ? [`  WARNING: ${english(r.image.scaleWarning)}`] : []),
          ...(r.image?.resolutionTagRead === 'unreadable' ? ["  scale not checked: the section's stored file was missing or damaged when first read for a resolution tag"] : []),
          `pores detected: ${poreText(r.pores)}`,
        ].join('\n'),
      );
    },
  },
  {
    path: ['billet', 'pores'],
    usage: 'ferrolab billet pores BILLET [--detect] [--json]',
    summary: "Pores found on the billet's section (dark compact voids); --detect searches the section when it has not been (stored per image)",
    options: { detect: { type: 'boolean' } },
    async run({ positionals, values, ctx, io }) {
      const billetId = resolveBillet(ctx!, positionals[0]);
      const api = localClient(ctx!);
      const pores = values.detect ? ((await followJob(ctx!, io, await api['images.detectPores']({ billetId }))).result as PoreSummary) : await api['images.pores']({ billetId });
      io.result(pores, (p) =>
        [`pores detected: ${poreText(p)}`, ...p.pores.map((q) => `  (${q.xMm.toFixed(1)}, ${q.yMm.toFixed(1)}) mm  Ø ${q.diameterMm.toFixed(2)} mm  ${q.areaMm2.toFixed(2)} mm²`)].join('\n'),
      );
    },
  },
];
