import type { ApiEvent } from '../api/events.js';

export type EventListener = (ev: ApiEvent) => void;

/** Fan-out of core events to every connected UI (IPC windows, SSE clients). */
export class EventBus {
  private listeners = new Set<EventListener>();
  subscribe(fn: EventListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
  emit(ev: ApiEvent): void {
    for (const fn of [...this.listeners]) {
      try {
        fn(ev);
      } catch {
        // A broken subscriber (a closed window) must not stop the others.
      }
    }
  }
}
