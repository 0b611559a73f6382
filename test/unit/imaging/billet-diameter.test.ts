import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { apiSession, refusal } from '../../helpers/api-session.js';
import { cliInTempFolder } from '../../helpers/cli.js';
import { reportPhraser } from '../../../core/report/report-i18n.js';
import { generateSyntheticBillet, syntheticReadings, syntheticSectionPng, truthJson, SYNTHETIC_LABEL } from '../../../core/synth/index.js';
import { layoutPoints } from '../../../core/segregation/layouts.js';
import type { ImageRecord } from '../../../core/api/methods/images.js';

// Task 24-F: a billet's nominal diameter is never assumed. Before, billets.create and `billet import` without one
// stored Ø600 mm, so a 150 mm billet's mm per px, patches and maps were 4× off scale.

const { ctx, api } = apiSession();
const it_ = reportPhraser('it');
const zh = reportPhraser('zh');
const en = reportPhraser('en');

describe('billets.create: the nominal diameter is required', () => {
  it('refuses a billet without one, naming the field in en/zh/it, and stores nothing', async () => {
    const body = await refusal(() => api['billets.create']({ name: 'Heat 150' } as never));
    expect(body.code).toBe('invalid_argument');
    expect(body.field).toBe('nominalDiameterMm');
    const detail = { code: 'billetDiameter.required', params: {} };
    expect(body.phrase).toEqual({ code: 'errors.app.invalidField', params: { where: 'billets.create', field: 'nominalDiameterMm', detail } });
    expect(body.message).toBe(en(body.phrase));
    expect(body.message).toBe(
      `billets.create: field "nominalDiameterMm": required: the billet's nominal diameter in mm (nominalDiameterMm). Ferrolab does not assume one: the section's mm per pixel, every patch's physical size and the maps follow from it`,
    );
    expect(it_(body.phrase)).toContain('campo «nominalDiameterMm»: obbligatorio: il diametro nominale della billetta in mm');
    expect(zh(body.phrase)).toContain('字段“nominalDiameterMm”：必填：铸坯的公称直径');
    expect(ctx.repos.billets.list()).toEqual([]);
  });

  it('a wrong value keeps its own words; a given one is stored exactly', async () => {
    const text = await refusal(() => api['billets.create']({ name: 'Heat 150', nominalDiameterMm: '150' } as never));
    expect(text).toMatchObject({ code: 'invalid_argument', field: 'nominalDiameterMm' });
    expect(text.message).toContain('expected number, received string');
    const zero = await refusal(() => api['billets.create']({ name: 'Heat 150', nominalDiameterMm: 0 }));
    expect(zero.message).toBe('billets.create: field "nominalDiameterMm": must be positive');
    const b = await api['billets.create']({ name: 'Heat 150', nominalDiameterMm: 152.5 });
    expect(b.nominalDiameterMm).toBe(152.5);
    expect(ctx.repos.billets.get(b.id).nominalDiameterMm).toBe(152.5);
  });
});

describe('ferrolab billet import: --diameter is required for a real image', () => {
  const { dir, data, cli } = cliInTempFolder('ferrolab-diameter-cli-');
  // A "real" photograph: a synthetic section's pixels without Ferrolab's synthetic label.
  const real = join(dir, 'photo.png');
  const plain = generateSyntheticBillet({ seed: 31, sizePx: 400 });
  beforeAll(async () => {
    await sharp(plain.data, { raw: { width: plain.width, height: plain.height, channels: 1 } }).png().toFile(real);
  });

  it('refuses without --diameter (usage error naming the flag and why), storing nothing', async () => {
    const r = await cli('billet', 'import', real, '--name', 'Heat 150');
    expect(r.code).toBe(2);
    expect(r.err).toContain("--diameter MM is required: the billet's nominal diameter in mm, which Ferrolab does not assume");
    expect(r.err).toContain("the section's mm per pixel, every patch's physical size and the maps follow from it");
    expect(JSON.parse((await cli('billet', 'list', '--json')).out)).toEqual([]);
    expect(existsSync(join(data, 'images')) ? readdirSync(join(data, 'images')) : []).toEqual([]);
  });

  it('imports with --diameter 150: the billet stores 150 and the scale is 150 mm over the rim', async () => {
    const r = await cli('billet', 'import', real, '--name', 'Heat 150', '--diameter', '150', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out) as { synthetic: boolean; image: ImageRecord };
    expect(out.synthetic).toBe(false);
    expect(out.image.nominalDiameterMm).toBe(150);
    expect(out.image.mmPerPx).toBeCloseTo(150 / (2 * out.image.circle!.r), 10);
    // the rim found is the generator's (within 1 %), so the scale is the true one at 150 mm, a quarter of 600 mm's
    expect(Math.abs(out.image.circle!.r - plain.circle.r) / plain.circle.r).toBeLessThan(0.01);
    const list = JSON.parse((await cli('billet', 'list', '--json')).out) as Array<{ name: string; nominalDiameterMm: number }>;
    expect(list.map((b) => [b.name, b.nominalDiameterMm])).toEqual([['Heat 150', 150]]);
  });

  it('a synthetic section keeps its own diameter, from its label; a contradicting --diameter is refused', async () => {
    const small = generateSyntheticBillet({ seed: 32, sizePx: 400, diameterMm: 160 });
    const file = join(dir, 'syn160.png');
    writeFileSync(file, await syntheticSectionPng(small));
    const wrong = await cli('billet', 'import', file, '--name', 'Syn 160', '--diameter', '600');
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain("--diameter 600 mm contradicts the synthetic section's own 160 mm");
    const r = await cli('billet', 'import', file, '--name', 'Syn 160', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out) as { synthetic: boolean; image: ImageRecord };
    expect(out.synthetic).toBe(true);
    expect(out.image.nominalDiameterMm).toBe(160);
    expect(Math.abs(out.image.mmPerPx! - small.mmPerPx) / small.mmPerPx).toBeLessThan(0.01);
  });

  it('a synthetic file labelled before the label said its diameter: the truth.json of its seed beside it, else refused', async () => {
    const b = generateSyntheticBillet({ seed: 33, sizePx: 400, diameterMm: 200 });
    const oldLabel = `${SYNTHETIC_LABEL}; generator ${b.generator}; seed ${b.seed}; variant ${b.variant}`;
    const png = await sharp(b.data, { raw: { width: b.width, height: b.height, channels: 1 } }).withExif({ IFD0: { ImageDescription: oldLabel } }).png().toBuffer();
    const lone = join(dir, 'old-lone');
    const beside = join(dir, 'old-beside');
    mkdirSync(lone);
    mkdirSync(beside);
    writeFileSync(join(lone, 'section.png'), png);
    writeFileSync(join(beside, 'section.png'), png);
    writeFileSync(join(beside, 'truth.json'), truthJson(b, syntheticReadings(b, layoutPoints({ pattern: 'hex85', diameterMm: 200 }), 1), 1));
    const refused = await cli('billet', 'import', join(lone, 'section.png'), '--name', 'Old lone');
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('--diameter MM is required');
    expect(refused.err).toContain('the synthetic label of "section.png" does not say its diameter, and no truth.json of its seed lies beside it');
    const r = await cli('billet', 'import', join(beside, 'section.png'), '--name', 'Old beside', '--json');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as { image: ImageRecord }).image.nominalDiameterMm).toBe(200);
  });
});
