import type { AttentionLayerSnapshot } from '../../../shared/events';
import { viridis } from './viridis';

/** The [queries, keys] weights of one head, with their smallest and largest value. */
export function headWeights(
  layer: AttentionLayerSnapshot,
  head: number,
): { values: Float32Array; min: number; max: number } {
  const size = layer.queries * layer.keys;
  const values = layer.weights.subarray(head * size, (head + 1) * size);
  let min = Infinity;
  let max = 0;
  for (const v of values) {
    if (v > max) max = v;
    if (v < min) min = v;
  }
  return { values, min, max };
}

/**
 * Colour position of a weight: sqrt on an absolute 0..1 scale. Absolute, so that heads compare and a diffuse head
 * (every weight near 1/n) reads as dark rather than saturating; sqrt, so that weights of a few percent stay visible.
 */
export function weightShade(weight: number): number {
  return Math.sqrt(Math.max(0, weight));
}

/**
 * Paints one head as a heatmap (row = query token, column = key token) into a region of a canvas, one pixel per
 * cell then scaled without smoothing.
 */
export function paintHead(
  context: CanvasRenderingContext2D,
  layer: AttentionLayerSnapshot,
  head: number,
  area: { x: number; y: number; size: number },
): void {
  const { values } = headWeights(layer, head);
  const image = context.createImageData(layer.keys, layer.queries);
  for (let i = 0; i < values.length; i++) {
    const [r, g, b] = viridis(weightShade(values[i]!));
    image.data.set([r, g, b, 255], i * 4);
  }
  const cells = document.createElement('canvas');
  cells.width = layer.keys;
  cells.height = layer.queries;
  cells.getContext('2d')!.putImageData(image, 0, 0);
  context.imageSmoothingEnabled = false;
  context.drawImage(cells, area.x, area.y, area.size, area.size);
}
