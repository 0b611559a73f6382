/**
 * The PyTorch reference of `npm run bench cnn`: ../shared/bench/torch_paper.py (beside the repository root; or
 * FERROLAB_TORCH_SCRIPT) run as a child process, where `python3 -c "import torch"` works.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface TorchFigures {
  torch: string;
  threads: number;
  size: number;
  batch: number;
  forwardMsPerImg: number;
  trainMsPerImg: number;
}

const SCRIPT_CANDIDATES = [...(process.env.FERROLAB_TORCH_SCRIPT ? [resolve(process.env.FERROLAB_TORCH_SCRIPT)] : []), resolve('../shared/bench/torch_paper.py'), resolve('../../shared/bench/torch_paper.py')];

/** Why PyTorch cannot run here, or null when it can. */
export function torchUnavailable(): string | null {
  if (!SCRIPT_CANDIDATES.some((p) => existsSync(p))) return `reference script not found (${join('..', 'shared', 'bench', 'torch_paper.py')})`;
  const r = spawnSync('python3', ['-c', 'import torch'], { encoding: 'utf8', timeout: 120_000 });
  if (r.error) return `PyTorch not importable (python3: ${r.error.message})`;
  if (r.status !== 0) return 'PyTorch not importable';
  return null;
}

/** The paper model's forward and train step per image in PyTorch at this size and batch, on `threads` threads. */
export function torchPaper(threads: number, size: number, batch: number): TorchFigures {
  const script = SCRIPT_CANDIDATES.find((p) => existsSync(p))!;
  const r = spawnSync('python3', [script, String(threads), String(size), String(batch)], { encoding: 'utf8', timeout: 1_800_000 });
  if (r.status !== 0) throw new Error(`torch_paper.py failed: ${(r.stderr || r.error?.message || '').split('\n').slice(-3).join(' ')}`);
  const line = r.stdout.split('\n').find((l) => l.startsWith('{'));
  if (!line) throw new Error('torch_paper.py printed no figures');
  return JSON.parse(line) as TorchFigures;
}
