import type { ModelSpec, TokenInputSpec } from '../../../shared/architecture/modelSpec';
import type { TokenizerSettings } from '../../../shared/tokenizerSettings';
import type { SplitOptions } from '../split/datasetSplit';

/** How a dataset is split and its text cut into tokens. */
export interface PreparationOptions extends SplitOptions {
  /** Unset fields come from the dataset (the suggested kind) and the model (the vocabulary size). */
  tokenizer?: Partial<TokenizerSettings>;
}

export function tokenInputs(spec: ModelSpec): TokenInputSpec[] {
  return spec.inputs.filter((input): input is TokenInputSpec => input.kind === 'tokens');
}
