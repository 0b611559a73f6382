import type { ApiEvent } from '../api/events.js';
import { log } from '../runtime/log.js';

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
      } catch (err) {
        // A broken subscriber (a closed window) must not stop the others.
        log.warn('events', 'a subscriber threw; the others still get the event', { event: ev.type, err });
      }
    }
  }
}
