// Child of uploads-kill.test.ts: leaves what an import in flight leaves (an upload in tmp/, a staging
// folder under images/), says "ready", and waits to be killed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAppContext } from '../../../core/app/context.js';
import { ownedTempName } from '../../../core/runtime/temp-leftovers.js';

const ctx = createAppContext({ dataDir: process.argv[2], shell: 'cli', backend: 'wasm' });
ctx.uploads.saveBytes(Buffer.alloc(1_000_000, 5));
const staging = join(ctx.paths.images, ownedTempName('.staging-'));
mkdirSync(staging);
writeFileSync(join(staging, 'source.tif'), Buffer.alloc(2_000_000, 6));
process.stdout.write('ready\n');
setInterval(() => undefined, 60_000);
