import { resolve } from 'node:path';
import { UsageError, intOption, requireString, type CliCommand } from '../command.js';
import { ensureBackend } from '../../ml/backend.js';
import { pretrainTextureNet } from '../../ml/texture-pretext.js';
import { modelToArtifacts, writeModelDir } from '../../ml/model-io.js';

/**
 * `ferrolab model pretrain-texture`: Ferrolab's own pretrained network for transfer learning on a PC that cannot
 * download ImageNet weights, written as an ordinary TF.js layers folder (model.json + weights.bin) — the same
 * format a converted VGG16/VGG19/InceptionV3 has, so `reproduce segregation --pretrained DIR` takes either.
 */
export const pretrainedCommands: CliCommand[] = [
  {
    path: ['model', 'pretrain-texture'],
    usage: 'ferrolab model pretrain-texture --out DIR [--size PX] [--count N] [--epochs N] [--seed N]',
    summary: 'Pretrain a small texture network (pretext: texture scale of seeded random textures) and export it as a TF.js layers folder',
    noContext: true,
    options: { out: { type: 'string' }, size: { type: 'string' }, count: { type: 'string' }, epochs: { type: 'string' }, seed: { type: 'string' } },
    async run({ values, io }) {
      const out = resolve(requireString(values, 'out'));
      const size = intOption(values, 'size', 64)!;
      const count = intOption(values, 'count', 1000)!;
      const epochs = intOption(values, 'epochs', 20)!;
      const seed = intOption(values, 'seed', 1)!;
      if (size < 8 || size > 512) throw new UsageError(`--size must be 8..512 px, got ${size}`);
      if (count < 20) throw new UsageError(`--count must be at least 20, got ${count}`);
      if (epochs < 1) throw new UsageError(`--epochs must be at least 1, got ${epochs}`);
      const backend = await ensureBackend();
      io.progress(`pretraining on ${count} textures of ${size} px, ${epochs} epochs (backend ${backend.name})`);
      const r = await pretrainTextureNet({ size, count, epochs, seed, onEpoch: (l) => io.progress(`epoch ${l.epoch}: pretext MAE ${l.loss.toFixed(3)} px, held-out ${l.valMae?.toFixed(3) ?? '–'} px`) });
      writeModelDir(out, await modelToArtifacts(r.model), {
        ferrolab: { kind: 'texture-pretext', size, count, epochs, seed, valMaePx: r.valMae, valMaeOfMeanPx: r.valMaeOfMean },
      });
      r.model.dispose();
      io.result(
        { dir: out, size, seed, valMaePx: r.valMae, valMaeOfMeanPx: r.valMaeOfMean },
        (v) => `wrote ${v.dir} (TF.js layers model, ${size} px grey input; pretext held-out MAE ${v.valMaePx.toFixed(2)} px vs ${v.valMaeOfMeanPx.toFixed(2)} px for the mean)`,
      );
    },
  },
];
