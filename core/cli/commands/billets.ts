import type { CliCommand } from '../command.js';
import { localClient } from '../../app/dispatch.js';

export const billetCommands: CliCommand[] = [
  {
    path: ['billet', 'list'],
    usage: 'ferrolab billet list [--json]',
    summary: 'List billets',
    async run({ ctx, io }) {
      const list = await localClient(ctx!)['billets.list']({});
      io.result(list, (l) =>
        l.length
          ? l.map((b) => `${String(b.id).padStart(4)}  ${b.name}${b.synthetic ? ' (synthetic)' : ''}  Ø${b.nominalDiameterMm} mm  ${b.pointCount} points, ${b.readingCount} readings`).join('\n')
          : 'no billets yet',
      );
    },
  },
];
