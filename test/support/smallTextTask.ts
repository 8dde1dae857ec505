import { generateKeywordTopics } from '../../src/engine/data/builtin/keywordTopics';
import { prepareTextClassificationTask } from '../../src/engine/data/tensors/textClassificationTensors';
import { findPreset } from '../../src/shared/architecture/presets';

/** The Transformer classifier over 16 tokens and 300 keyword-topic texts: a task that trains in a second or two. */
export function smallTextTask(texts = 300) {
  const spec = structuredClone(findPreset('transformer-text')!.spec);
  spec.inputs[0] = { id: 'tokens', kind: 'tokens', maxLength: 16, vocabSize: 200 };
  const data = prepareTextClassificationTask(
    { kind: 'text-classification', ...generateKeywordTopics(texts, 3) },
    spec,
    {
      validationFraction: 0.15,
      testFraction: 0.1,
      seed: 1,
    },
  );
  return { spec, data };
}
