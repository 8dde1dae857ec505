import type { OpName } from '../../../shared/architecture/ops';
import { ACTIVATE } from './basicOps';
import { always, last, never, ownWeights, quote, type PythonOp } from './pythonOp';

const SAME_PADDING = `def same_padding(size: int, kernel: int, stride: int) -> Tuple[int, int]:
    """TensorFlow's 'same': ceil(size / stride) outputs, the padding split with the extra one after."""
    total = max((math.ceil(size / stride) - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def pad_same_2d(x: torch.Tensor, kernel: int, stride: int, value: float = 0.0) -> torch.Tensor:
    """x [B, C, H, W] padded as TensorFlow's 'same' pads it."""
    top, bottom = same_padding(x.shape[2], kernel, stride)
    left, right = same_padding(x.shape[3], kernel, stride)
    return F.pad(x, (left, right, top, bottom), value=value)`;

const CONV_2D = `class Conv2d(nn.Module):
    """A 2-D convolution over channels-last images, its kernel kept [kh, kw, in, out] as the workbench keeps it."""

    def __init__(self, channels: int, filters: int, kernel: int, stride: int, padding: str, activation: str):
        super().__init__()
        self.kernel = nn.Parameter(torch.empty(kernel, kernel, channels, filters))
        self.bias = nn.Parameter(torch.zeros(filters))
        nn.init.xavier_uniform_(self.kernel.view(-1, filters))
        self.size, self.stride, self.padding, self.activation = kernel, stride, padding, activation

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # [B, H, W, C] -> [B, H', W', filters]
        x = x.permute(0, 3, 1, 2)  # [B, C, H, W]
        if self.padding == "same":
            x = pad_same_2d(x, self.size, self.stride)
        y = F.conv2d(x, self.kernel.permute(3, 2, 0, 1), self.bias, self.stride)  # weight [out, in, kh, kw]
        return activate(y.permute(0, 2, 3, 1), self.activation)`;

const DEPTHWISE_CONV_2D = `class DepthwiseConv2d(nn.Module):
    """One k x k filter (or depth_multiplier of them) per input channel; output channel c * multiplier + m."""

    def __init__(self, channels: int, multiplier: int, kernel: int, stride: int, padding: str, activation: str):
        super().__init__()
        self.depthwise_kernel = nn.Parameter(torch.empty(kernel, kernel, channels, multiplier))
        self.bias = nn.Parameter(torch.zeros(channels * multiplier))
        nn.init.xavier_uniform_(self.depthwise_kernel.view(-1, channels * multiplier))
        self.channels, self.size, self.stride, self.padding, self.activation = channels, kernel, stride, padding, activation

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # [B, H, W, C] -> [B, H', W', C * multiplier]
        x = x.permute(0, 3, 1, 2)
        if self.padding == "same":
            x = pad_same_2d(x, self.size, self.stride)
        weight = self.depthwise_kernel.permute(2, 3, 0, 1).reshape(-1, 1, self.size, self.size)  # [C * m, 1, k, k]
        y = F.conv2d(x, weight, self.bias, self.stride, groups=self.channels)
        return activate(y.permute(0, 2, 3, 1), self.activation)`;

const CONV_1D = `class Conv1d(nn.Module):
    """A 1-D convolution along a sequence [B, T, C], its kernel kept [k, in, out] as the workbench keeps it."""

    def __init__(self, channels: int, filters: int, kernel: int, stride: int, padding: str, activation: str):
        super().__init__()
        self.kernel = nn.Parameter(torch.empty(kernel, channels, filters))
        self.bias = nn.Parameter(torch.zeros(filters))
        nn.init.xavier_uniform_(self.kernel.view(-1, filters))
        self.size, self.stride, self.padding, self.activation = kernel, stride, padding, activation

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # [B, T, C] -> [B, T', filters]
        x = x.transpose(1, 2)  # [B, C, T]
        if self.padding == "same":
            x = F.pad(x, same_padding(x.shape[2], self.size, self.stride))
        y = F.conv1d(x, self.kernel.permute(2, 1, 0), self.bias, self.stride)  # weight [out, in, k]
        return activate(y.transpose(1, 2), self.activation)`;

const BATCH_NORM = `class BatchNorm(nn.Module):
    """Batch normalisation over the last axis, as Keras and the workbench define it: in training the batch's
    moments (biased variance) normalise, and moving <- moving - (moving - batch) * (1 - momentum); in eval the
    moving ones do. (PyTorch's own momentum is 1 minus this one.)"""

    def __init__(self, channels: int, momentum: float, eps: float):
        super().__init__()
        self.gamma = nn.Parameter(torch.ones(channels))
        self.beta = nn.Parameter(torch.zeros(channels))
        self.register_buffer("moving_mean", torch.zeros(channels))
        self.register_buffer("moving_variance", torch.ones(channels))
        self.momentum, self.eps = momentum, eps

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # [..., C]
        if self.training:
            axes = tuple(range(x.dim() - 1))
            mean = x.mean(dim=axes)
            variance = ((x - mean) ** 2).mean(dim=axes)
            with torch.no_grad():
                self.moving_mean -= (self.moving_mean - mean) * (1 - self.momentum)
                self.moving_variance -= (self.moving_variance - variance) * (1 - self.momentum)
        else:
            mean, variance = self.moving_mean, self.moving_variance
        return (x - mean) * torch.rsqrt(variance + self.eps) * self.gamma + self.beta`;

const POOL_2D = `def pool_2d(x: torch.Tensor, kind: str, size: int, stride: int, padding: str) -> torch.Tensor:
    """Max or average pooling of channels-last images; with 'same' padding the average counts real pixels only and
    the maximum never sees the padding, as TensorFlow's."""
    x = x.permute(0, 3, 1, 2)  # [B, C, H, W]
    if kind == "max":
        if padding == "same":
            x = pad_same_2d(x, size, stride, float("-inf"))
        y = F.max_pool2d(x, size, stride)
    elif padding == "same":
        ones = pad_same_2d(torch.ones_like(x[:, :1]), size, stride)
        y = F.avg_pool2d(pad_same_2d(x, size, stride), size, stride) / F.avg_pool2d(ones, size, stride)
    else:
        y = F.avg_pool2d(x, size, stride)
    return y.permute(0, 2, 3, 1)  # [B, H', W', C]`;

const TIED_MAX = `def tied_max(x: torch.Tensor, dim, keepdim: bool = False) -> torch.Tensor:
    """The maximum over dim, its gradient reaching every element equal to it in full, as in the workbench (and
    TensorFlow); torch.amax would split it between ties, which ReLU's zeros make common."""
    tied = (x == x.amax(dim=dim, keepdim=True)).to(x.dtype)
    return x.amax(dim=dim, keepdim=keepdim).detach() + ((x - x.detach()) * tied).sum(dim=dim, keepdim=keepdim)`;

const CHANNEL_MLP = `def channel_mlp(z: torch.Tensor, w1: torch.Tensor, b1: torch.Tensor, w2: torch.Tensor, b2: torch.Tensor) -> torch.Tensor:
    """The bottleneck C -> C/r -> C of squeeze-and-excitation and CBAM: W2 relu(W1 z + b1) + b2."""
    return F.relu(z @ w1 + b1) @ w2 + b2`;

const SPATIAL_MAP = `def spatial_map(x: torch.Tensor, kernel: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
    """CBAM's spatial map (Woo et al. 2018, 3.2): sigmoid(conv_kxk([mean_c x; max_c x]) + b); [B, H, W, C] -> [B, H, W, 1]."""
    pooled = torch.cat([x.mean(dim=3, keepdim=True), tied_max(x, 3, keepdim=True)], dim=3)  # [B, H, W, 2]
    y = F.conv2d(pad_same_2d(pooled.permute(0, 3, 1, 2), kernel.shape[0], 1), kernel.permute(3, 2, 0, 1))
    return torch.sigmoid(y.permute(0, 2, 3, 1) + bias)`;

const SQUEEZE_EXCITATION = `class SqueezeExcitation(nn.Module):
    """Squeeze-and-excitation (Hu et al. 2018): y = x * sigmoid(MLP(mean_hw x)), one gate per channel."""

    def __init__(self, name: str, channels: int, units: int):
        super().__init__()
        self.name = name
        self.squeeze_kernel = nn.Parameter(nn.init.kaiming_normal_(torch.empty(units, channels)).T.contiguous())
        self.squeeze_bias = nn.Parameter(torch.zeros(units))
        self.excite_kernel = nn.Parameter(nn.init.xavier_uniform_(torch.empty(units, channels)))
        self.excite_bias = nn.Parameter(torch.zeros(channels))

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, Dict[str, torch.Tensor]]:  # [B, H, W, C]
        z = channel_mlp(x.mean(dim=(1, 2)), self.squeeze_kernel, self.squeeze_bias, self.excite_kernel, self.excite_bias)
        gate = torch.sigmoid(z)[:, None, None, :]  # [B, 1, 1, C]
        return x * gate, {self.name: gate}`;

const SPATIAL_ATTENTION = `class SpatialAttention(nn.Module):
    """Spatial attention: y = x * spatial_map(x), one gate per pixel for all its channels."""

    def __init__(self, name: str, kernel: int):
        super().__init__()
        self.name = name
        self.spatial_kernel = nn.Parameter(nn.init.xavier_uniform_(torch.empty(kernel * kernel * 2, 1)).view(kernel, kernel, 2, 1))
        self.spatial_bias = nn.Parameter(torch.zeros(1))

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, Dict[str, torch.Tensor]]:  # [B, H, W, C]
        gate = spatial_map(x, self.spatial_kernel, self.spatial_bias)  # [B, H, W, 1]
        return x * gate, {self.name: gate.permute(0, 3, 1, 2)}`;

const CBAM = `class Cbam(nn.Module):
    """Convolutional Block Attention Module (Woo et al. 2018): channel attention from the mean and the max over the
    pixels through one shared MLP, then spatial attention: Mc = sigmoid(MLP(mean x) + MLP(max x)), x' = x * Mc,
    y = x' * spatial_map(x')."""

    def __init__(self, name: str, channels: int, units: int, kernel: int):
        super().__init__()
        self.name = name
        self.channel_hidden_kernel = nn.Parameter(nn.init.kaiming_normal_(torch.empty(units, channels)).T.contiguous())
        self.channel_hidden_bias = nn.Parameter(torch.zeros(units))
        self.channel_output_kernel = nn.Parameter(nn.init.xavier_uniform_(torch.empty(units, channels)))
        self.channel_output_bias = nn.Parameter(torch.zeros(channels))
        self.spatial_kernel = nn.Parameter(nn.init.xavier_uniform_(torch.empty(kernel * kernel * 2, 1)).view(kernel, kernel, 2, 1))
        self.spatial_bias = nn.Parameter(torch.zeros(1))

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, Dict[str, torch.Tensor]]:  # [B, H, W, C]
        weights = (self.channel_hidden_kernel, self.channel_hidden_bias, self.channel_output_kernel, self.channel_output_bias)
        scores = channel_mlp(x.mean(dim=(1, 2)), *weights) + channel_mlp(tied_max(x, (1, 2)), *weights)  # [B, C]
        channel = torch.sigmoid(scores)[:, None, None, :]  # [B, 1, 1, C]
        refined = x * channel
        spatial = spatial_map(refined, self.spatial_kernel, self.spatial_bias)  # [B, H, W, 1]
        maps = {f"{self.name}:channels": channel, f"{self.name}:spatial": spatial.permute(0, 3, 1, 2)}
        return refined * spatial, maps`;

const convolutionArguments = (inputShapes: number[][], params: Record<string, unknown>, width: number) =>
  `${last(inputShapes[0])}, ${width}, ${Number(params['kernelSize'])}, ${Number(params['strides'])}, ` +
  `${quote(params['padding'])}, ${quote(params['activation'])}`;

const units = (inputShapes: number[][], params: Record<string, unknown>) =>
  Math.max(1, Math.floor(last(inputShapes[0]) / Number(params['ratio'])));

const pooling = (kind: 'max' | 'avg'): PythonOp => ({
  classes: { same_padding: SAME_PADDING, pool_2d: POOL_2D },
  construct: () => null,
  forward: ({ inputs, params }) => {
    const size = Number(params['poolSize']);
    return `pool_2d(${inputs[0]}, "${kind}", ${size}, ${Number(params['strides'] ?? size)}, ${quote(params['padding'])})`;
  },
  weights: () => [],
  keepsPositions: never,
});

/** Convolutions, batch norm, pooling and the image attention gates (SE, spatial, CBAM). */
export const IMAGE_OPS = {
  conv2d: {
    classes: { activate: ACTIVATE, same_padding: SAME_PADDING, Conv2d: CONV_2D },
    construct: ({ inputShapes, params }) =>
      `Conv2d(${convolutionArguments(inputShapes, params, Number(params['filters']))})`,
    forward: ({ inputs, module }) => `${module}(${inputs[0]})`,
    weights: ownWeights('kernel', 'bias'),
    keepsPositions: never,
  },
  depthwiseConv2d: {
    classes: { activate: ACTIVATE, same_padding: SAME_PADDING, DepthwiseConv2d: DEPTHWISE_CONV_2D },
    construct: ({ inputShapes, params }) =>
      `DepthwiseConv2d(${convolutionArguments(inputShapes, params, Number(params['depthMultiplier']))})`,
    forward: ({ inputs, module }) => `${module}(${inputs[0]})`,
    weights: ownWeights('depthwise_kernel', 'bias'),
    keepsPositions: never,
  },
  // 'same' with stride 1 keeps every position where it was, so a padding mask still holds after it.
  conv1d: {
    classes: { activate: ACTIVATE, same_padding: SAME_PADDING, Conv1d: CONV_1D },
    construct: ({ inputShapes, params }) =>
      `Conv1d(${convolutionArguments(inputShapes, params, Number(params['filters']))})`,
    forward: ({ inputs, module }) => `${module}(${inputs[0]})`,
    weights: ownWeights('kernel', 'bias'),
    keepsPositions: (params) => params['padding'] === 'same' && params['strides'] === 1,
  },
  batchNorm: {
    classes: { BatchNorm: BATCH_NORM },
    construct: ({ inputShapes, params }) =>
      `BatchNorm(${last(inputShapes[0])}, ${Number(params['momentum'])}, ${Number(params['epsilon'])})`,
    forward: ({ inputs, module }) => `${module}(${inputs[0]})`,
    weights: ownWeights('gamma', 'beta', 'moving_mean', 'moving_variance'),
    keepsPositions: always,
  },
  maxPool2d: pooling('max'),
  avgPool2d: pooling('avg'),
  globalAveragePool2d: {
    classes: {},
    construct: () => null,
    forward: ({ inputs }) => `${inputs[0]}.mean(dim=(1, 2))`,
    weights: () => [],
    keepsPositions: never,
  },
  globalMaxPool2d: {
    classes: { tied_max: TIED_MAX },
    construct: () => null,
    forward: ({ inputs }) => `tied_max(${inputs[0]}, (1, 2))`,
    weights: () => [],
    keepsPositions: never,
  },
  squeezeExcitation: {
    classes: { channel_mlp: CHANNEL_MLP, SqueezeExcitation: SQUEEZE_EXCITATION },
    construct: ({ nodeId, inputShapes, params }) =>
      `SqueezeExcitation(${JSON.stringify(nodeId)}, ${last(inputShapes[0])}, ${units(inputShapes, params)})`,
    forward: ({ inputs, module }) => `${module}(${inputs[0]})`,
    attention: true,
    weights: ownWeights('squeeze_kernel', 'squeeze_bias', 'excite_kernel', 'excite_bias'),
    keepsPositions: never,
  },
  spatialAttention: {
    classes: {
      same_padding: SAME_PADDING,
      tied_max: TIED_MAX,
      spatial_map: SPATIAL_MAP,
      SpatialAttention: SPATIAL_ATTENTION,
    },
    construct: ({ nodeId, params }) => `SpatialAttention(${JSON.stringify(nodeId)}, ${Number(params['kernelSize'])})`,
    forward: ({ inputs, module }) => `${module}(${inputs[0]})`,
    attention: true,
    weights: ownWeights('spatial_kernel', 'spatial_bias'),
    keepsPositions: never,
  },
  cbam: {
    classes: {
      same_padding: SAME_PADDING,
      tied_max: TIED_MAX,
      channel_mlp: CHANNEL_MLP,
      spatial_map: SPATIAL_MAP,
      Cbam: CBAM,
    },
    construct: ({ nodeId, inputShapes, params }) =>
      `Cbam(${JSON.stringify(nodeId)}, ${last(inputShapes[0])}, ${units(inputShapes, params)}, ${Number(params['kernelSize'])})`,
    forward: ({ inputs, module }) => `${module}(${inputs[0]})`,
    attention: true,
    weights: ownWeights(
      'channel_hidden_kernel',
      'channel_hidden_bias',
      'channel_output_kernel',
      'channel_output_bias',
      'spatial_kernel',
      'spatial_bias',
    ),
    keepsPositions: never,
  },
} satisfies Partial<Record<OpName, PythonOp>>;
