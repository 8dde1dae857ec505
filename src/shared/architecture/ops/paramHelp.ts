/** Help lines for parameters that several ops share (the editor's inspector shows them). */
export const transformerParams = {
  heads:
    'Attention heads; each attends over the width / heads dimensions of its own projection. Must divide the width.',
  ffnDim: 'Width of the feed-forward network inside the block (4x the model width in the original).',
  dropout: "Dropout after attention and the feed-forward network; empty takes the run's dropout.",
  normFirst: 'Pre-norm: LayerNorm before each sub-layer (steadier when deep); off is the 2017 post-norm.',
};
export const convolutionParams = {
  kernelSize: 'Side of the square (or length of the 1-D) window each output looks at.',
  strides: 'Step between windows; 2 halves the resolution.',
  padding: '"same" pads so that the output keeps the size (at stride 1); "valid" uses only whole windows.',
  activation: 'The non-linearity applied to the output.',
};
export const poolingParams = {
  poolSize: 'Side of the square window reduced to one value.',
  strides: 'Step between windows; empty takes the pool size.',
  padding: '"valid" drops partial windows at the border; "same" keeps them.',
};
export const recurrentParams = {
  units: 'Size of the hidden state.',
  returnSequences: 'Output the state at every step (for attention or stacking); off returns only the last one.',
  gateActivation:
    'Squashing of the gates: the logistic sigmoid (as PyTorch) or the hard sigmoid (Keras default, cheaper).',
};
