import * as tf from '@tensorflow/tfjs-core';
import type { ImageInputSpec, ModelSpec } from '../../../shared/architecture/modelSpec';
import type { ImageClassificationData, ShardedImageClassificationData } from '../datasetTypes';
import { shardedRows } from './shardedRows';
import type { PreparedDataset, SplitName } from '../preparedDataset';
import { splitDataset } from '../split/datasetSplit';
import { byName, splitCounts } from './gatherRows';
import type { PreparationOptions } from './preparationOptions';
import { encodeImage } from './userExample';
import { seededRandom } from '../split/seededRandom';

/** out[y][x] = in[y - dy][x - dx] / 255, 0 where that falls outside the image. */
export function shiftImage(
  pixels: Uint8Array,
  out: Float32Array,
  { height, width, channels }: { height: number; width: number; channels: number },
  dy: number,
  dx: number,
): void {
  out.fill(0);
  for (let y = Math.max(0, dy); y < Math.min(height, height + dy); y++) {
    const from = ((y - dy) * width + Math.max(0, -dx)) * channels;
    const to = (y * width + Math.max(0, dx)) * channels;
    const length = (width - Math.abs(dx)) * channels;
    for (let p = 0; p < length; p++) out[to + p] = pixels[from + p]! / 255;
  }
}

/** Image classification: float32 images [B, H, W, C] in [0, 1] in, the class [B] out. */
export function prepareImageClassificationTask(
  data: ImageClassificationData | ShardedImageClassificationData,
  spec: ModelSpec,
  options: PreparationOptions,
): PreparedDataset {
  const input = spec.inputs.find((i): i is ImageInputSpec => i.kind === 'image');
  if (!input) throw new Error(`the model "${spec.name}" has no image input`);
  const { height, width, channels } = data;
  if (input.height !== height || input.width !== width || input.channels !== channels) {
    throw new Error(
      `the dataset's images are ${height}x${width}x${channels} but the model's input "${input.id}" is ${input.height}x${input.width}x${input.channels}`,
    );
  }
  const pixelsPerImage = height * width * channels;
  const imageCount = data.shards ? data.shards.count : data.pixels.length / pixelsPerImage;
  if (imageCount !== data.labels.length)
    throw new Error(`the dataset has ${data.labels.length} labels but pixels for ${imageCount} images`);
  const indices = splitDataset(data, options);
  const split = byName(indices);
  const sharded = data.shards
    ? shardedRows(data.shards, indices, { record: 'image', shape: [height, width, channels] })
    : null;
  // The batch's images, uint8, one after another: a slice of memory, or the records fetched from the shards.
  const imagesOf = (name: SplitName, rows: ArrayLike<number>): ((i: number) => Uint8Array) => {
    if (!sharded) {
      const pixels = data.pixels!;
      return (i) => {
        const source = split(name)[rows[i]!]!;
        return pixels.subarray(source * pixelsPerImage, (source + 1) * pixelsPerImage);
      };
    }
    const bytes = sharded.take(name, rows);
    return (i) => bytes.subarray(i * pixelsPerImage, (i + 1) * pixelsPerImage);
  };
  return {
    task: 'image-classification',
    classNames: data.classNames,
    sequenceOutput: false,
    vocabSizes: {},
    counts: splitCounts(indices),
    batch: (name, rows, augment) => {
      // uint8 stays in memory; only this batch becomes float32 in [0, 1].
      const images = new Float32Array(rows.length * pixelsPerImage);
      const labels = new Int32Array(rows.length);
      // Each image's (dy, dx), drawn in turn from the step's stream; none without augmentation.
      const random = augment && augment.shift > 0 ? seededRandom(augment.seed) : null;
      const shifts = random && (() => Math.floor(random() * (2 * augment!.shift + 1)) - augment!.shift);
      const pixelsOf = imagesOf(name, rows);
      for (let i = 0; i < rows.length; i++) {
        const image = images.subarray(i * pixelsPerImage, (i + 1) * pixelsPerImage);
        shiftImage(pixelsOf(i), image, { height, width, channels }, shifts?.() ?? 0, shifts?.() ?? 0);
        labels[i] = data.labels[split(name)[rows[i]!]!]!;
      }
      return {
        inputs: [tf.tensor4d(images, [rows.length, height, width, channels])],
        targets: tf.tensor1d(labels, 'int32'),
      };
    },
    ...(sharded ? sharded.prepared : {}),
    view: (name, row) => ({ tokens: {}, target: data.classNames[data.labels[split(name)[row]!]!]! }),
    encode: (example) => encodeImage(example, input),
    showPrediction: (ids) => data.classNames[ids[0]!] ?? String(ids[0]),
    exportInfo: { classNames: data.classNames, vocabularies: {} },
  };
}
