import type { ImageClassificationData, ShardedImageClassificationData } from './datasetTypes';

/** One image's uint8 pixels [H, W, C], from memory or read from its shard: for views, not for training batches. */
export function imageAt(data: ImageClassificationData | ShardedImageClassificationData, index: number): Uint8Array {
  if (data.shards) return data.shards.readOneSync(index);
  const size = data.height * data.width * data.channels;
  return data.pixels.subarray(index * size, (index + 1) * size);
}

/** The mean of each channel, 0..255: measured at import for sharded images, computed here for those in memory. */
export function meanPixel(data: ImageClassificationData | ShardedImageClassificationData): number[] {
  if (data.shards) return data.meanPixel;
  const sums = new Array<number>(data.channels).fill(0);
  for (let i = 0; i < data.pixels.length; i++) sums[i % data.channels]! += data.pixels[i]!;
  return sums.map((s) => s / (data.pixels.length / data.channels));
}
