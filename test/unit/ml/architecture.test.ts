import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { backends } from './setup-backends.js';
import type { Phrase } from '../../../core/api/phrase.js';
import { reportPhraser } from '../../../core/report/report-i18n.js';
import { buildModel, convLayerIndices, presetArchitecture, PAPER_ARCHITECTURE, validateArchitecture, multiplyAdds } from '../../../core/ml/architecture.js';

beforeAll(async () => {
  await (await backends()).use('wasm');
});

describe('model builder', () => {
  it('paper preset: 224×224 input, 12 conv layers 32…1024, 6 pools, dense 256…16 with dropout 0.2, linear output', () => {
    const m = buildModel(presetArchitecture('paper'), 1);
    const convs = convLayerIndices(m).map((i) => m.layers[i] as unknown as { filters: number; kernelSize: number[]; padding: string });
    expect(convs.map((c) => c.filters)).toEqual([32, 32, 64, 64, 128, 128, 256, 256, 512, 512, 1024, 1024]);
    expect(convs.every((c) => c.kernelSize[0] === 3 && c.padding === 'same')).toBe(true);
    expect(m.layers.filter((l) => l.getClassName() === 'MaxPooling2D')).toHaveLength(6);
    const dense = m.layers.filter((l) => l.getClassName() === 'Dense').map((l) => (l.getConfig() as { units: number }).units);
    expect(dense).toEqual([256, 128, 64, 32, 16, 1]);
    expect(m.layers.filter((l) => l.getClassName() === 'FerrolabSeededDropout').map((l) => (l.getConfig() as { rate: number }).rate)).toEqual([0.2, 0.2, 0.2, 0.2, 0.2]);
    expect(m.inputs[0].shape).toEqual([null, 224, 224, 1]);
    // 224 → 3 after six 2×2 pools: flatten = 3·3·1024.
    expect(m.getLayer('flatten').outputShape).toEqual([null, 9216]);
    expect((m.layers[m.layers.length - 1].getConfig() as { activation: string }).activation).toBe('linear');
    // Parameters: conv 3·3·cin·cout + cout, dense in·out + out.
    const chans = [1, 32, 32, 64, 64, 128, 128, 256, 256, 512, 512, 1024, 1024];
    let params = 0;
    for (let i = 1; i < chans.length; i++) params += 9 * chans[i - 1] * chans[i] + chans[i];
    const units = [9216, 256, 128, 64, 32, 16, 1];
    for (let i = 1; i < units.length; i++) params += units[i - 1] * units[i] + units[i];
    expect(m.countParams()).toBe(params);
    m.dispose();
  });

  it('is configurable: input size, blocks, convs per block, width, dense layers, RGB', () => {
    const a = presetArchitecture('compact', { inputSize: 32, blocks: 3, convsPerBlock: 1, baseFilters: 4, dense: [8], channels: 3, dropout: 0 });
    const m = buildModel(a, 3);
    expect(convLayerIndices(m)).toHaveLength(3);
    expect(m.inputs[0].shape).toEqual([null, 32, 32, 3]);
    expect(m.getLayer('flatten').outputShape).toEqual([null, 4 * 4 * 16]);
    expect(m.layers.some((l) => l.getClassName() === 'FerrolabSeededDropout')).toBe(false);
    m.dispose();
  });

  it('rejects out-of-range architectures with a sentence naming the field', () => {
    expect(() => validateArchitecture({ ...PAPER_ARCHITECTURE, blocks: 8 })).toThrow(/blocks must be an integer in 2..7/);
    expect(() => validateArchitecture({ ...PAPER_ARCHITECTURE, dense: [] })).toThrow(/1 to 6 dense layers/);
    expect(() => validateArchitecture({ ...PAPER_ARCHITECTURE, inputSize: 32, blocks: 6 })).toThrow(/at least 64 px/);
    expect(() => validateArchitecture({ ...PAPER_ARCHITECTURE, channels: 2 as 1 })).toThrow(/grey.*RGB/);
  });

  it('a combination the per-field ranges allow but no network can have is a refusal said as a code (issue 15)', () => {
    const refusal = (a: Parameters<typeof validateArchitecture>[0]) => {
      try {
        validateArchitecture(a);
      } catch (e) {
        return e as { code: string; field: string; message: string; phrase: Phrase };
      }
      throw new Error('not refused');
    };
    const deep = refusal({ ...PAPER_ARCHITECTURE, inputSize: 32, blocks: 6 });
    expect(deep).toMatchObject({ code: 'invalid_argument', field: 'architecture.blocks', message: 'architecture: 6 blocks halve a 32 px input below 1 px; use at least 64 px or fewer blocks' });
    expect(reportPhraser('zh')(deep.phrase)).toBe('网络结构：6 个卷积块会把 32 px 的输入减半到 1 px 以下；请使用至少 64 px 的输入或更少的卷积块');
    const wide = refusal({ ...PAPER_ARCHITECTURE, baseFilters: 256, blocks: 7 });
    expect(reportPhraser('it')(wide.phrase)).toBe("architettura: l'ultimo blocco avrebbe più di 4096 filtri (16384)");
  });

  it('the same seed builds identical weights; another seed does not', () => {
    const a = presetArchitecture('compact', { inputSize: 16, blocks: 2 });
    const w = (seed: number) => {
      const m = buildModel(a, seed);
      const v = Array.from(m.getWeights()[0].dataSync());
      m.dispose();
      return v;
    };
    expect(w(5)).toEqual(w(5));
    expect(w(5)).not.toEqual(w(6));
  });

  it('compact costs a small fraction of the paper model per image', () => {
    expect(multiplyAdds(presetArchitecture('compact')) / multiplyAdds(presetArchitecture('paper'))).toBeLessThan(0.05);
    expect(tf.getBackend()).toBe('wasm');
  });
});
