import { requireEmscripten } from './load-emscripten.js';
import { gridOf, type BaselineModel, type Fitted, type Matrix, type Params } from './types.js';

/**
 * ε-SVR with a linear or an RBF kernel, fitted by libsvm-js (libsvm compiled by emscripten). The asm.js build is
 * used: it loads synchronously in the main thread and in a worker thread alike, with no wasm file to locate.
 * libsvm's ε-SVR training draws no random numbers (only its probability estimates and its own CV do), so the
 * seed is not used. Targets are standardised, so ε is in units of the training targets' sd. The linear grid stops at
 * C = 10: libsvm's linear-kernel solver needs seconds per fit at C = 100 (iteration limit) for no gain at this size.
 */

interface SvmInstance {
  train(samples: number[][], labels: number[]): void;
  predict(samples: number[][]): number[];
  free(): void;
}
interface SvmClass {
  new (options: Record<string, unknown>): SvmInstance;
  SVM_TYPES: Record<string, string>;
  KERNEL_TYPES: Record<string, string>;
}

let svmClass: SvmClass | null = null;
function loadSvm(): SvmClass {
  svmClass ??= requireEmscripten<SvmClass>('libsvm-js/asm.js');
  return svmClass;
}

function fitSvr(kernel: 'LINEAR' | 'RBF', X: Matrix, y: number[], params: Params): Fitted {
  const SVM = loadSvm();
  const options: Record<string, unknown> = {
    type: SVM.SVM_TYPES.EPSILON_SVR,
    kernel: SVM.KERNEL_TYPES[kernel],
    cost: Number(params.C),
    epsilon: Number(params.epsilon),
    quiet: true,
  };
  if (kernel === 'RBF') options.gamma = Number(params.gamma);
  const svm = new SVM(options);
  svm.train(X, y);
  return { predict: (Z) => svm.predict(Z), dispose: () => svm.free() };
}

export const linearSvr: BaselineModel = {
  id: 'linear-svr',
  label: 'Linear SVR',
  library: 'libsvm-js (asm.js)',
  grid: (budget) =>
    budget === 'quick' ? gridOf({ C: [0.1, 1, 10], epsilon: [0.1] }) : gridOf({ C: [0.01, 0.1, 1, 10], epsilon: [0.01, 0.1, 0.3] }),
  fit: async (X, y, params) => fitSvr('LINEAR', X, y, params),
};

/** γ grid: scikit-learn's "scale" (1/(p·var X) = 1/p on standardised features) and multiples of it. */
export const rbfSvr: BaselineModel = {
  id: 'rbf-svr',
  label: 'RBF SVR',
  library: 'libsvm-js (asm.js)',
  grid: (budget, p) => {
    const scale = 1 / Math.max(1, p);
    return budget === 'quick'
      ? gridOf({ C: [1, 10], gamma: [scale, 3 * scale], epsilon: [0.1] })
      : gridOf({ C: [0.1, 1, 10, 100], gamma: [scale / 3, scale, 3 * scale, 10 * scale], epsilon: [0.05, 0.1, 0.3] });
  },
  fit: async (X, y, params) => fitSvr('RBF', X, y, params),
};
