import * as tf from '@tensorflow/tfjs-core';
import type { PreparedDataset, SplitName } from '../data/preparedDataset';
import type { NamedTensor } from '../../export/safetensors';
import type { ModelSpec } from '../../shared/architecture/modelSpec';

const SPLITS: SplitName[] = ['train', 'validation', 'test'];
/** Rows encoded per batch: bounds the tensors held at once while a split is written out. */
const CHUNK = 256;

/**
 * A prepared dataset's three splits exactly as the model reads them, for the PyTorch export's data/ folder: token
 * inputs as int32 ids, images as the bytes they were scaled from (value * 255, uint8), targets as int32 ([N] or
 * [N, T], 0 = padding for per-token tasks). Named by the spec's input ids, and `targets`.
 */
export function encodedSplits(data: PreparedDataset, spec: ModelSpec): Record<SplitName, NamedTensor[]> {
  const result = {} as Record<SplitName, NamedTensor[]>;
  for (const split of SPLITS) {
    const count = data.counts[split];
    let shapes: { inputs: number[][]; targets: number[] } = { inputs: [], targets: [] };
    const chunks: { inputs: (Int32Array | Uint8Array)[]; targets: Int32Array[] }[] = [];
    for (let start = 0; start < count; start += CHUNK) {
      const rows = Array.from({ length: Math.min(CHUNK, count - start) }, (_, i) => start + i);
      const batch = data.batch(split, rows);
      try {
        shapes = { inputs: batch.inputs.map((t) => t.shape.slice(1)), targets: batch.targets.shape.slice(1) };
        chunks.push({
          inputs: batch.inputs.map((tensor, i) =>
            spec.inputs[i]!.kind === 'image'
              ? Uint8Array.from(tensor.dataSync(), (v) => Math.round(v * 255))
              : Int32Array.from(tensor.dataSync()),
          ),
          targets: [Int32Array.from(batch.targets.dataSync())],
        });
      } finally {
        tf.dispose([...batch.inputs, batch.targets]);
      }
    }
    const join = <T extends Int32Array | Uint8Array>(arrays: T[], make: (n: number) => T): T => {
      const out = make(arrays.reduce((n, a) => n + a.length, 0));
      let at = 0;
      for (const array of arrays) {
        out.set(array, at);
        at += array.length;
      }
      return out;
    };
    result[split] = [
      ...spec.inputs.map((input, i): NamedTensor => {
        const arrays = chunks.map((c) => c.inputs[i]!);
        const shape = [
          count,
          ...(shapes.inputs[i] ??
            (input.kind === 'tokens' ? [input.maxLength] : [input.height, input.width, input.channels])),
        ];
        return input.kind === 'image'
          ? { name: input.id, dtype: 'U8', shape, data: join(arrays as Uint8Array[], (n) => new Uint8Array(n)) }
          : { name: input.id, dtype: 'I32', shape, data: join(arrays as Int32Array[], (n) => new Int32Array(n)) };
      }),
      {
        name: 'targets',
        dtype: 'I32',
        shape: [count, ...shapes.targets],
        data: join(
          chunks.map((c) => c.targets[0]!),
          (n) => new Int32Array(n),
        ),
      },
    ];
  }
  return result;
}
