// Child process for the concurrent-open test: for each data folder path read from stdin, opens it the way every
// shell does (createAppContext: folders, database, migrations), reports the schema version, and closes it.
import { createInterface } from 'node:readline';
import { createAppContext } from '../../../core/app/context.js';

const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
lines.on('line', async (dir) => {
  try {
    const ctx = createAppContext({ dataDir: dir, shell: 'cli', backend: 'cpu' });
    const version = ctx.schemaVersion;
    await ctx.close();
    process.stdout.write(`ok ${version}\n`);
  } catch (err) {
    process.stdout.write(`error ${(err instanceof Error ? err.message : String(err)).replace(/\n/g, " | ")}\n`);
  }
});
