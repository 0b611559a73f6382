/** Whole-set undo/redo for point edits: snapshots are by label, so re-created points get fresh ids safely. */
export interface PointSnap {
  label: string;
  xMm: number;
  yMm: number;
  /** Replicates the point had, so undoing a delete brings its readings back. */
  values: number[];
}

export class EditHistory {
  private undoStack: PointSnap[][] = [];
  private redoStack: PointSnap[][] = [];
  constructor(private limit = 200) {}
  /** Record the state before an edit. */
  push(before: PointSnap[]): void {
    this.undoStack.push(before);
    if (this.undoStack.length > this.limit) this.undoStack.shift();
    this.redoStack = [];
  }
  undo(current: PointSnap[]): PointSnap[] | null {
    const prev = this.undoStack.pop();
    if (!prev) return null;
    this.redoStack.push(current);
    return prev;
  }
  redo(current: PointSnap[]): PointSnap[] | null {
    const next = this.redoStack.pop();
    if (!next) return null;
    this.undoStack.push(current);
    return next;
  }
  clear(): void {
    this.undoStack = [];
    this.redoStack = [];
  }
  get canUndo(): boolean { return this.undoStack.length > 0; }
  get canRedo(): boolean { return this.redoStack.length > 0; }
}

/** Next free label after the highest P-number ("P86" after P01…P85), padded like the layout. */
export function nextLabel(labels: string[]): string {
  let max = 0, width = 2;
  for (const l of labels) {
    const m = /^P(\d+)$/i.exec(l);
    if (m) { max = Math.max(max, Number(m[1])); width = Math.max(width, m[1].length); }
  }
  return `P${String(max + 1).padStart(width, '0')}`;
}
