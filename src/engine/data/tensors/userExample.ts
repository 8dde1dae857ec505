import * as tf from '@tensorflow/tfjs-core';
import type { ImageInputSpec } from '../../../shared/architecture/modelSpec';
import type { TokenInputSpec } from '../../../shared/architecture/modelSpec';
import { resizeInto } from '../import/decodeImage';
import type { EncodedExample, UserExample } from '../preparedDataset';
import type { Tokenizer } from '../tokenizers/learnTokenizer';

/** The text of a user's example, refusing an image where the model reads text (what: "classifies text"). */
export function textOf(example: UserExample, what: string): string {
  if (example.kind !== 'text') throw new Error(`this run ${what}: give it text, not an image`);
  return example.text;
}

/** Cuts text as training did and encodes it as one padded row of `input`; refuses text with no token at all. */
export function encodeTokens(text: string, tokenizer: Tokenizer, input: TokenInputSpec) {
  const tokens = tokenizer.tokenize(text).slice(0, input.maxLength);
  if (tokens.length === 0) throw new Error('the text holds no token the model could read');
  const ids = new Int32Array(input.maxLength);
  tokenizer.vocabulary.encodeInto(tokens, input.maxLength, ids, 0);
  return { tokens, ids: tf.tensor2d(ids, [1, input.maxLength], 'int32') };
}

/**
 * A user's image (RGBA bytes of any size) as the model's input [1, H, W, C] in [0, 1]: resampled and turned to
 * luma or RGB exactly as imported image files are.
 */
export function encodeImage(example: UserExample, input: ImageInputSpec): EncodedExample {
  if (example.kind !== 'image') throw new Error('this run classifies images: give it an image, not text');
  const { height, width, channels } = input;
  if (channels !== 1 && channels !== 3) throw new Error(`the model's images have ${channels} channels, not 1 or 3`);
  const bytes = new Uint8Array(height * width * channels);
  resizeInto({ width: example.width, height: example.height, data: example.rgba }, height, width, channels, bytes, 0);
  const pixels = Float32Array.from(bytes, (value) => value / 255);
  return { inputs: [tf.tensor4d(pixels, [1, height, width, channels])], tokens: {} };
}
