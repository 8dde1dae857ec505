/** Below this zoom a block's 12 px name shrinks under 9 px, where it stops being legible. */
export const READABLE_ZOOM = 0.75;

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The viewport that shows a graph at READABLE_ZOOM, centred across and with its top (the inputs) `margin` pixels
 * below the canvas's top edge: how an editor opens a document too long for its window, the rest a scroll away.
 */
export function readableViewport(bounds: Rect, canvasWidth: number, margin = 24) {
  return {
    zoom: READABLE_ZOOM,
    x: canvasWidth / 2 - (bounds.x + bounds.width / 2) * READABLE_ZOOM,
    y: margin - bounds.y * READABLE_ZOOM,
  };
}
