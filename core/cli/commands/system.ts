import type { CliCommand } from '../command.js';
import { localClient } from '../../app/dispatch.js';
import { intOption, UsageError } from '../command.js';
import { parseStrictInteger } from '../../api/strict-decimal.js';
import { ApiError } from '../../api/errors.js';
import { onInterrupt } from '../interrupt.js';
import { adapterWords } from '../../ml/webgpu-adapter.js';

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
          ...(i.backend?.adapter ? [`GPU adapter:    ${adapterWords(i.backend.adapter)}`] : []),
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
          ...(r.backend?.skipped.map((s) => `  skipped ${s.name}: ${s.reason}`) ?? []),
          `log:         ${r.logFile} (last ${r.logLines.length} lines below)`,
          ...r.logLines,
        ].join('\n'),
      );
    },
  },
  {
    path: ['threads'],
    usage: 'ferrolab threads [N | --default] [--json]',
    summary: 'Worker threads for all jobs together (trainings, predictions, maps, designs and reports share them): read, or set to N (1 … logical cores) or back to the default (logical cores − 1)',
    options: { default: { type: 'boolean' } },
    async run({ ctx, values, positionals, io }) {
      const arg = positionals[0];
      if (arg !== undefined && values.default) throw new UsageError('give a number of threads or --default, not both');
      const api = localClient(ctx!);
      let r;
      if (arg !== undefined) {
        const n = parseStrictInteger(arg);
        if (!n.ok) throw new UsageError(`threads: "${arg}" ${n.reason}`);
        r = await api['system.setJobThreads']({ threads: n.value });
      } else if (values.default) r = await api['system.setJobThreads']({ threads: null });
      else r = await api['system.jobThreads']({});
      const changed = arg !== undefined || values.default;
      io.result(r, (x) =>
        `${x.threads} worker thread${x.threads === 1 ? '' : 's'} for all jobs together (${x.setting === null ? `default: logical cores − 1 = ${x.default}` : 'set'}); ${x.logicalCores} logical cores` +
        // A Ferrolab already open on this folder reads the setting again as its next job starts (core/app/job-threads.ts).
        (changed ? '\nA Ferrolab already open on this data folder uses it from its next job on; jobs running there keep their threads.' : ''),
      );
    },
  },
  {
    path: ['serve'],
    usage: 'ferrolab serve [--port N] [--no-open] [--data DIR]',
    summary: 'Browser mode: serve the app on 127.0.0.1 (the printed link opens it once; the API token never leaves the process)',
    options: { port: { type: 'string' }, 'no-open': { type: 'boolean' } },
    async run({ ctx, values, io }) {
      const { startServer } = await import('../../server/http-server.js');
      const { openServerInBrowser } = await import('../../server/open-browser.js');
      const { claimFolderLock } = await import('../../server/folder-lock.js');
      const port = intOption(values, 'port', 0)!;
      const lock = claimFolderLock(ctx!.paths.root, { shell: 'browser' });
      if (!lock.ok) {
        const where = lock.owner.url ? ` at ${lock.owner.url}` : lock.owner.shell === 'electron' ? ' in the desktop app' : '';
        throw new ApiError('failed_precondition', `Ferrolab (pid ${lock.owner.pid}) already serves this data folder${where}: use that one (press Enter in its terminal for a new link), or stop it first`);
      }
      let server: Awaited<ReturnType<typeof startServer>>;
      try {
        server = await startServer(ctx!, { port });
      } catch (err) {
        lock.release();
        throw err;
      }
      lock.update({ shell: 'browser', url: server.url });
      // sections stored before migration 024 are read for their resolution tag in the background, as the desktop app does
      void ctx!.sweepSectionTags();
      // The printed link carries a one-time code (never the token): it opens the app once, within 10 minutes.
      const printedTtlMs = 10 * 60 * 1000;
      const interactive = Boolean(process.stdin.isTTY);
      io.result(
        { url: server.launchUrl(printedTtlMs), port: server.port },
        (r) =>
          `Ferrolab is serving on ${server.url}\nOpen it with this link (works once, within 10 minutes${interactive ? '; press Enter here for a new one' : ''}):\n  ${r.url}\n(on this PC only; press Ctrl+C to stop)`,
      );
      if (!values['no-open'] && !process.env.CI) openServerInBrowser(server);
      const onLine = () => process.stdout.write(`New link (works once, within 10 minutes): ${server.launchUrl(printedTtlMs)}\n`);
      if (interactive) process.stdin.on('data', onLine);
      await new Promise<void>((resolve) => {
        const stop = () => {
          if (interactive) {
            process.stdin.off('data', onLine);
            process.stdin.pause();
          }
          lock.release();
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
