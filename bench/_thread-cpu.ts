// The clock lives in core (data-parallel training's workers time their phases with it); benches import it from here.
export { threadCpuClock, threadMs } from '../core/runtime/thread-cpu.js';
