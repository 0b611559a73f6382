import { parentPort } from 'node:worker_threads';
import { JominyPredictor, type PredictorModel } from './predictor.js';
import { runDesign } from './ga.js';
import type { FromWorker, ToWorker } from './tasks.js';

// One worker of the GA pool: holds a compiled predictor, runs the designs it is sent.
let predictor: JominyPredictor | null = null;
const post = (m: FromWorker) => parentPort!.postMessage(m);

parentPort!.on('message', (msg: ToWorker) => {
  if (msg.type === 'init') {
    predictor = new JominyPredictor(msg.model as PredictorModel);
    post({ type: 'ready' });
    return;
  }
  const { task } = msg;
  try {
    if (!predictor) throw new Error('worker has no model');
    const output = runDesign(predictor, task.input, { onGeneration: (gen) => post({ type: 'generation', key: task.key, gen }) });
    post({ type: 'done', result: { key: task.key, output } });
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    post({ type: 'error', key: task.key, message: e.message, name: e.name });
  }
});
