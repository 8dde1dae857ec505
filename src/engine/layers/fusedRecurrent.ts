import * as tf from '@tensorflow/tfjs-core';
import { initializers, layers, type LayerVariable, type Shape } from '@tensorflow/tfjs-layers';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology';
import type { GateActivation } from './recurrence/gateActivation';
import { gruSequence } from './recurrence/gruSequence';
import { lstmSequence } from './recurrence/lstmSequence';

export interface FusedRecurrentArgs extends LayerArgs {
  cell: 'lstm' | 'gru';
  units: number;
  returnSequences: boolean;
  /** Also read the sequence from the end, and merge the two directions' outputs. */
  bidirectional: boolean;
  merge?: 'concat' | 'sum';
  /** 'sigmoid' as in PyTorch; 'hardSigmoid' is the default of tfjs-layers' and Keras' layers. */
  gateActivation?: GateActivation;
}

interface DirectionWeights {
  kernel: LayerVariable;
  recurrent: LayerVariable;
  bias: LayerVariable;
}

/**
 * An LSTM or GRU layer, one direction or both, whose backward pass through time is written out (recurrence/):
 * the same weights, initial values and formulas as tfjs-layers' LSTM, GRU and Bidirectional, at a few hundred
 * kernel calls per batch instead of tens of thousands. Input [B, T, D]; output [B, T, H'] or [B, H'], with H' the
 * units, or twice them for two concatenated directions.
 */
export class FusedRecurrent extends layers.Layer {
  static readonly className = 'FusedRecurrent';
  readonly cell: 'lstm' | 'gru';
  readonly units: number;
  readonly returnSequences: boolean;
  readonly bidirectional: boolean;
  readonly merge: 'concat' | 'sum';
  readonly gateActivation: GateActivation;
  private directions: DirectionWeights[] = [];

  constructor(args: FusedRecurrentArgs) {
    super(args);
    this.cell = args.cell;
    this.units = args.units;
    this.returnSequences = args.returnSequences;
    this.bidirectional = args.bidirectional;
    this.merge = args.merge ?? 'concat';
    this.gateActivation = args.gateActivation ?? 'sigmoid';
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as number[];
    const [dim, gates] = [shape[2]!, this.cell === 'lstm' ? 4 : 3];
    const names = this.bidirectional ? ['forward/', 'backward/'] : [''];
    this.directions = names.map((prefix) => ({
      kernel: this.addWeight(`${prefix}kernel`, [dim, gates * this.units], 'float32', initializers.glorotNormal({})),
      recurrent: this.addWeight(
        `${prefix}recurrent_kernel`,
        [this.units, gates * this.units],
        'float32',
        initializers.orthogonal({}),
      ),
      bias: this.addWeight(`${prefix}bias`, [gates * this.units], 'float32', initializers.zeros()),
    }));
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const width = this.bidirectional && this.merge === 'concat' ? 2 * this.units : this.units;
    return this.returnSequences ? [shape[0]!, shape[1]!, width] : [shape[0]!, width];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
      const sequence = this.cell === 'lstm' ? lstmSequence : gruSequence;
      const outputs = this.directions.map((weights, index) =>
        sequence(
          x,
          weights.kernel.read() as tf.Tensor2D,
          weights.recurrent.read() as tf.Tensor2D,
          weights.bias.read() as tf.Tensor1D,
          { reverse: index === 1, returnSequences: this.returnSequences, activation: this.gateActivation },
        ),
      );
      if (outputs.length === 1) return outputs[0]!;
      return this.merge === 'concat' ? tf.concat(outputs, -1) : tf.add(outputs[0]!, outputs[1]!);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      cell: this.cell,
      units: this.units,
      returnSequences: this.returnSequences,
      bidirectional: this.bidirectional,
      merge: this.merge,
      gateActivation: this.gateActivation,
    };
  }
}

tf.serialization.registerClass(FusedRecurrent);
