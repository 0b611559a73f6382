import { serveTasks } from '../runtime/worker-pool.js';
import { JominyPredictor, type PredictorModel } from './predictor.js';
import { runDesign } from './ga.js';
import type { DesignTask, DesignTaskResult } from './tasks.js';

// One worker of the GA pool: compiles the predictor once, then runs the designs it is sent,
// posting one progress message per generation.
serveTasks<DesignTask, DesignTaskResult, number>(async (data) => {
  const predictor = new JominyPredictor(data as PredictorModel);
  return { run: (task, progress) => ({ key: task.key, output: runDesign(predictor, task.input, { onGeneration: (gen) => progress(gen) }) }) };
});
