import type { BlockKind } from '../../../shared/architecture/opCatalog';
import { isOpName } from '../../../shared/architecture/ops';

/** The drag format of a palette entry: its own type, so that files dropped on the window are told apart. */
export const BLOCK_DRAG_TYPE = 'application/x-workbench-block';

export function startBlockDrag(event: DragEvent, kind: BlockKind): void {
  event.dataTransfer?.setData(BLOCK_DRAG_TYPE, JSON.stringify(kind));
  if (event.dataTransfer) event.dataTransfer.effectAllowed = 'copy';
}

/** The block a drop carries, or null when it carries something else (a file, text, a malformed payload). */
export function readDraggedBlock(event: DragEvent): BlockKind | null {
  const text = event.dataTransfer?.getData(BLOCK_DRAG_TYPE);
  if (!text) return null;
  try {
    const kind = JSON.parse(text) as { input?: unknown; op?: unknown };
    if (kind.input === 'image' || kind.input === 'tokens') return { input: kind.input };
    if (typeof kind.op === 'string' && isOpName(kind.op)) return { op: kind.op };
  } catch {
    // not ours
  }
  return null;
}
