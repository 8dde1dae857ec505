import type { AttentionEvent, AttentionLayerSnapshot } from '../../../shared/events';
import { viridis } from './viridis';

type SampleImage = NonNullable<AttentionEvent['image']>;

function pixelsCanvas(width: number, height: number, colour: (i: number) => [number, number, number]) {
  const cells = document.createElement('canvas');
  [cells.width, cells.height] = [width, height];
  const image = cells.getContext('2d')!.createImageData(width, height);
  for (let i = 0; i < width * height; i++) image.data.set([...colour(i), 255], i * 4);
  cells.getContext('2d')!.putImageData(image, 0, 0);
  return cells;
}

/** The sample image at its own size as a PNG data: URL (for a figure, which scales it up with square pixels). */
export function sampleImageUrl(image: SampleImage): string {
  return imageCanvas(image).toDataURL('image/png');
}

function imageCanvas({ height, width, channels: depth, pixels }: SampleImage) {
  const grey = (v: number) => Math.round(Math.min(1, Math.max(0, v)) * 255);
  return pixelsCanvas(width, height, (i) =>
    depth === 1
      ? [grey(pixels[i]!), grey(pixels[i]!), grey(pixels[i]!)]
      : [grey(pixels[i * depth]!), grey(pixels[i * depth + 1]!), grey(pixels[i * depth + 2]!)],
  );
}

/** Weights over a grid (rows = queries, columns = keys of a spatial gate), in 0..1, row-major. */
export type GridWeights = Pick<AttentionLayerSnapshot, 'queries' | 'keys'> & { weights: ArrayLike<number> };

/**
 * The model's input image drawn at `size` x `size` (pixels kept sharp), and a grid of weights in 0..1 over it in
 * viridis at `opacity`: smoothed for a spatial gate (coarser than the image, but of its pixels), square for patches.
 */
export function paintImageAttention(
  context: CanvasRenderingContext2D,
  image: SampleImage,
  gate: GridWeights | null,
  size: number,
  opacity: number,
  smooth = true,
): void {
  const picture = imageCanvas(image);
  context.clearRect(0, 0, size, size);
  context.globalAlpha = 1;
  context.imageSmoothingEnabled = false;
  context.drawImage(picture, 0, 0, size, size);
  if (!gate) return;
  const overlay = pixelsCanvas(gate.keys, gate.queries, (i) => viridis(gate.weights[i]!));
  context.globalAlpha = opacity;
  context.imageSmoothingEnabled = smooth;
  context.drawImage(overlay, 0, 0, size, size);
  context.globalAlpha = 1;
}
