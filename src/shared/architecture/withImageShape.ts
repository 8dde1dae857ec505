import type { ModelSpec } from './modelSpec';

/**
 * The spec with its image input sized to the dataset's images, the way an embedding takes the vocabulary's size:
 * a preset drawn for 32x32 colour images then trains on 28x28 grey digits too. Shape inference decides whether the
 * layers still fit.
 */
export function withImageShape(spec: ModelSpec, shape: { height: number; width: number; channels: number }): ModelSpec {
  return {
    ...spec,
    inputs: spec.inputs.map((input) =>
      input.kind === 'image' ? { ...input, height: shape.height, width: shape.width, channels: shape.channels } : input,
    ),
  };
}
