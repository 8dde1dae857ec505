import type { ModelSpec } from '../../shared/architecture/modelSpec';
import type { LoadedDataset } from './datasetTypes';
import type { PreparedDataset } from './preparedDataset';
import { prepareImageClassificationTask } from './tensors/imageClassificationTensors';
import type { PreparationOptions } from './tensors/preparationOptions';
import { prepareSeq2seqTask } from './tensors/seq2seqTensors';
import { prepareSequenceLabellingTask } from './tensors/sequenceLabellingTensors';
import { prepareTextClassificationTask } from './tensors/textClassificationTensors';

/** Splits, learns vocabularies on the training split and binds a loaded dataset to a spec's inputs. */
export function prepareDataset(data: LoadedDataset, spec: ModelSpec, options: PreparationOptions): PreparedDataset {
  if (data.kind !== spec.task)
    throw new Error(`the model "${spec.name}" is for ${spec.task}, but the dataset is ${data.kind}`);
  switch (data.kind) {
    case 'text-classification':
      return prepareTextClassificationTask(data, spec, options);
    case 'image-classification':
      return prepareImageClassificationTask(data, spec, options);
    case 'sequence-labelling':
      return prepareSequenceLabellingTask(data, spec, options);
    case 'seq2seq':
      return prepareSeq2seqTask(data, spec, options);
  }
}
