import type { CliCommand } from '../command.js';
import { localClient } from '../../app/dispatch.js';
import { intOption } from '../command.js';
import { onInterrupt } from '../interrupt.js';

export const systemCommands: CliCommand[] = [
  {
    path: ['info'],
    usage: 'ferrolab info [--data DIR] [--json]',
    summary: 'Version, data folder, schema version and the ML backend that runs',
    async run({ ctx, io }) {
      const info = await localClient(ctx!)['system.info']({});
      io.result(info, (i) =>
        [
          `Ferrolab ${i.version}`,
          `data folder:    ${i.dataDir}`,
          `database:       ${i.databaseFile} (schema ${i.schemaVersion})`,
          `node:           ${i.versions.node ?? '?'}`,
          `ML backend:     ${i.backend ? `${i.backend.name} (${i.backend.gpu ? 'GPU' : 'no GPU'}; tfjs ${i.backend.tfjsVersion}; ${i.backend.detail})` : 'none could start'}`,
          ...(i.backend?.skipped.map((s) => `  skipped ${s.name}: ${s.reason}`) ?? []),
          `backend choice: ${i.backendPreference}`,
        ].join('\n'),
      );
    },
  },
  {
    path: ['diagnostics'],
    usage: 'ferrolab diagnostics [--lines N] [--json]',
    summary: 'Version, platform, ML backend, data folder, schema and the last log lines, for a support message',
    options: { lines: { type: 'string' } },
    async run({ ctx, values, io }) {
      const d = await localClient(ctx!)['system.diagnostics']({ lines: intOption(values, 'lines', 100)! });
      io.result(d, (r) =>
        [
          `Ferrolab ${r.version} (${r.shell}) on ${r.platform}; node ${r.versions.node ?? '?'}`,
          `data folder: ${r.dataDir} (schema ${r.schemaVersion})`,
          `ML backend:  ${r.backend ? `${r.backend.name}; ${r.backend.detail}` : 'none could start'} (choice: ${r.backendPreference})`,
          `log:         ${r.logFile} (last ${r.logLines.length} lines below)`,
          ...r.logLines,
        ].join('\n'),
      );
    },
  },
  {
    path: ['serve'],
    usage: 'ferrolab serve [--port N] [--no-open] [--data DIR]',
    summary: 'Browser mode: serve the app on 127.0.0.1 (a per-launch token is in the printed URL)',
    options: { port: { type: 'string' }, 'no-open': { type: 'boolean' } },
    async run({ ctx, values, io }) {
      const { startServer } = await import('../../server/http-server.js');
      const { openInBrowser } = await import('../../server/open-browser.js');
      const port = intOption(values, 'port', 0)!;
      const server = await startServer(ctx!, { port });
      io.result({ url: server.url, port: server.port }, (r) => `Ferrolab is serving on ${r.url}\n(open it in a browser on this PC; press Ctrl+C to stop)`);
      if (!values['no-open'] && !process.env.CI) openInBrowser(server.url);
      await new Promise<void>((resolve) => {
        const stop = () => {
          offInterrupt();
          process.off('SIGTERM', stop);
          void server.close().then(resolve);
        };
        // Ctrl+C closes the server and exits 130 (see interrupt.ts); SIGTERM closes it and exits 0.
        const offInterrupt = onInterrupt(stop);
        process.once('SIGTERM', stop);
      });
    },
  },
];
