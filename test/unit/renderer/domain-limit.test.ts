import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { domainLimitText } from '../../../renderer/src/components/jominy/domain-limit.js';
import { nearestThreshold } from '../../../core/jominy/domain.js';
import { ELEMENTS } from '../../../core/jominy/elements.js';
import { jominyServiceSession } from '../../helpers/jominy-service.js';
import { storeVariant } from '../../helpers/jominy-stored-predictor.js';

/**
 * The predictor page states the domain limit over the elements the predictor uses, and for a predictor stored before
 * that mask the limit recomputed at load beside the figure its file stored over all 15 (as `models show` does). No e2e
 * opens the page with such a predictor, so the wording function is checked here on a real stored copy, read back
 * through the service. Fails before: the page said nothing of the limit.
 */
const { db, dir, jobs, svc } = jominyServiceSession();

const catalog = (lang: string) => JSON.parse(readFileSync(new URL(`../../../renderer/src/i18n/${lang}/jominy-predictor.json`, import.meta.url), 'utf8')) as Record<string, string>;
const worded = (lang: string, w: NonNullable<ReturnType<typeof domainLimitText>>) => catalog(lang)[w.key.replace(/^jominy-predictor:/, '')].replace(/\{\{(\w+)\}\}/g, (_, v: string) => String(w.vars[v]));

describe("the predictor page's domain limit", () => {
  it('a new predictor: its limit over the elements it uses; an older one: recomputed at load, beside the stored figure', async () => {
    const ds = svc.datasets.synth({ n: 80, seed: 6 });
    const end = await jobs.wait(svc.predictors.train({ datasetId: ds.id, seed: 2, maxHidden: 2, epochs: 5, ensemble: 0 }).id);
    expect(end.state).toBe('done');
    const id = (end.result as { modelId: number }).modelId;
    const fresh = svc.predictors.get(id);
    const used = fresh.usedElements;
    expect(used.length).toBeGreaterThan(0);
    expect(used.length).toBeLessThan(ELEMENTS.length); // the synthetic data leaves some elements without effect
    const limit = fresh.domain.threshold!;
    expect(fresh.domain.thresholdStored).toBeNull();

    const now = domainLimitText(fresh)!;
    expect(now.key).toBe('jominy-predictor:domainLimit');
    expect(worded('en', now)).toBe(`Domain limit ${limit.toFixed(3)} sd (distance to the nearest training heat, 99th percentile among the training heats, in-sample) over the ${used.length} elements the predictor uses (${used.join(' ')}): a chemistry beyond it is flagged outside the training domain.`);

    // the same predictor as older code stored it: no mask, the threshold over all 15 elements
    const oldId = storeVariant(db, dir, id, 'before-domain-mask');
    const old = svc.predictors.get(oldId);
    const file = JSON.parse(readFileSync(`${dir}/models/jominy-before-domain-mask-${id}.json`, 'utf8')) as { domain: { points: number[]; threshold: number } };
    const overAll = nearestThreshold(file.domain.points);
    expect(file.domain.threshold).toBe(overAll);
    // the limit recomputed at load is the new predictor's; the stored one is larger (elements no network takes inflate it)
    expect(old.domain.threshold).toBeCloseTo(limit, 12);
    expect(old.domain.thresholdStored).toBeCloseTo(overAll, 12);
    expect(overAll).toBeGreaterThan(limit);

    const w = domainLimitText(old)!;
    expect(w.key).toBe('jominy-predictor:domainLimitRecomputed');
    expect(worded('en', w)).toBe(`Domain limit ${limit.toFixed(3)} sd (distance to the nearest training heat, 99th percentile among the training heats, in-sample) over the ${used.length} elements the predictor uses (${used.join(' ')}) — recomputed at load; the file stored ${overAll.toFixed(3)} over all 15, inflated by elements no network takes, and it is not used.`);
    expect(worded('it', w)).toContain(`sui ${used.length} elementi che il predittore usa (${used.join(' ')}) — ricalcolato al caricamento; il file conservava ${overAll.toFixed(3)} su tutti i 15`);
    expect(worded('zh', w)).toContain(`文件中保存的是基于全部 15 个元素的 ${overAll.toFixed(3)}`);
    // numbers in the interface language (Italian decimal comma), as the page passes them
    expect(domainLimitText(old, (v) => v.toFixed(3).replace('.', ','))!.vars).toMatchObject({ limit: limit.toFixed(3).replace('.', ','), stored: overAll.toFixed(3).replace('.', ',') });
    // no limit stored: nothing to state
    expect(domainLimitText({ domain: { ...old.domain, threshold: undefined }, usedElements: used })).toBeNull();
  });
});
