import * as tf from '@tensorflow/tfjs-core';
import type { layers } from '@tensorflow/tfjs-layers';

/**
 * tfjs-layers' own class registered under `className` (Dense, Dropout, BatchNormalization), as its serialization
 * registry holds it: the package does not export its layer classes, and the workbench's versions extend them under
 * the same name, so that a saved model reads the same with or without them. Read before the subclass registers.
 */
export function tfjsLayerClass<Args>(
  className: string,
): (new (args: Args) => layers.Layer) & tf.serialization.SerializableConstructor<layers.Layer> {
  const [registered] = tf.serialization.SerializationMap.getMap().classNameMap[className]!;
  return registered as unknown as (new (args: Args) => layers.Layer) &
    tf.serialization.SerializableConstructor<layers.Layer>;
}
