"""The workbench's presets in PyTorch, for `npm run bench -- side-by-side`: the same layers, sizes and weight counts
as the TensorFlow.js models the engine builds from each spec (bench/sideBySide.ts compares the counts), trained the
same way: one Adam step on random inputs of the preset's shapes, batch 32, 10 classes, one thread.

Reads one JSON request on stdin: {"preset": id, "spec": ModelSpec, "batch": 32, "classes": 10, "steps": N,
"warmup": N, "seconds": S} (timed steps: at least N, and at least S seconds of them); prints one JSON line: {"parameters", "msPerStep", "samplesPerSecond", "torch"}. Debian's python3-torch
(with libopenblas0-pthread, run with OPENBLAS_NUM_THREADS=1) is enough; the app never needs Python.
"""

import json
import math
import sys
import time

import torch
from torch import nn
import torch.nn.functional as F


def node(spec, node_id):
    return next(n for n in spec["nodes"] if n["id"] == node_id)


def params_of(spec, node_id):
    return node(spec, node_id).get("params", {})


class Cbam(nn.Module):
    """Woo et al. 2018, as src/engine/layers/cbam.ts: a shared C -> C/r -> C MLP over mean and max, then a k x k
    convolution over [mean_c; max_c]."""

    def __init__(self, channels, ratio, kernel):
        super().__init__()
        units = max(1, channels // ratio)
        self.hidden = nn.Linear(channels, units)
        self.output = nn.Linear(units, channels)
        self.spatial = nn.Conv2d(2, 1, kernel, padding=kernel // 2)

    def forward(self, x):  # [B, C, H, W]
        mlp = lambda z: self.output(F.relu(self.hidden(z)))
        channel = torch.sigmoid(mlp(x.mean(dim=(2, 3))) + mlp(x.amax(dim=(2, 3))))  # [B, C]
        x = x * channel[:, :, None, None]
        pooled = torch.cat([x.mean(dim=1, keepdim=True), x.amax(dim=1, keepdim=True)], dim=1)  # [B, 2, H, W]
        return x * torch.sigmoid(self.spatial(pooled))


class ConvAttention(nn.Module):
    def __init__(self, spec, classes, dropout):
        super().__init__()
        image = spec["inputs"][0]
        blocks, channels = [], image["channels"]
        for index in (1, 2, 3):
            conv, cbam = params_of(spec, f"conv{index}"), params_of(spec, f"cbam{index}")
            blocks += [
                nn.Conv2d(channels, conv["filters"], conv["kernelSize"], padding="same"),
                nn.ReLU(),
                nn.BatchNorm2d(conv["filters"], eps=1e-3, momentum=0.01),
                Cbam(conv["filters"], cbam.get("ratio", 8), cbam.get("kernelSize", 7)),
            ]
            if index < 3:
                blocks.append(nn.MaxPool2d(2))
            channels = conv["filters"]
        self.features = nn.Sequential(*blocks)
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(channels, classes)

    def forward(self, x):  # [B, H, W, C], as the workbench feeds images
        x = self.features(x.permute(0, 3, 1, 2))
        return self.head(self.dropout(x.mean(dim=(2, 3))))


def padding_mask(tokens):
    return tokens == 0  # True where padded, as PyTorch's key_padding_mask wants


def masked_mean(x, pad):  # x [B, T, D], pad [B, T]
    keep = (~pad).float().unsqueeze(-1)
    return (x * keep).sum(dim=1) / keep.sum(dim=1).clamp(min=1)


def sinusoidal(length, dim):
    position = torch.arange(length).unsqueeze(1)
    rates = torch.exp(torch.arange(0, dim, 2) * (-math.log(10000.0) / dim))
    table = torch.zeros(length, dim)
    table[:, 0::2] = torch.sin(position * rates)
    table[:, 1::2] = torch.cos(position * rates)
    return table


class TokenEmbedding(nn.Module):
    """Embedding scaled by sqrt(D), plus a learned (one vector per position) or sinusoidal positional encoding."""

    def __init__(self, vocab, dim, length, kind):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.scale = math.sqrt(dim)
        if kind == "learned":
            self.position = nn.Parameter(torch.randn(length, dim) * 0.02)
        else:
            self.register_buffer("position", sinusoidal(length, dim))

    def forward(self, tokens):
        return self.embed(tokens) * self.scale + self.position[: tokens.shape[1]]


def encoder_layer(dim, block, dropout):
    return nn.TransformerEncoderLayer(
        dim,
        block["heads"],
        block["ffnDim"],
        dropout,
        batch_first=True,
        norm_first=block.get("normFirst", False),
        layer_norm_eps=1e-6,
    )


class TransformerText(nn.Module):
    def __init__(self, spec, classes, dropout):
        super().__init__()
        tokens, dim = spec["inputs"][0], params_of(spec, "embed")["dim"]
        kind = params_of(spec, "position").get("kind", "learned")
        self.embed = TokenEmbedding(tokens["vocabSize"], dim, tokens["maxLength"], kind)
        self.blocks = nn.ModuleList(encoder_layer(dim, params_of(spec, f"encoder{i}"), dropout) for i in (1, 2))
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(dim, classes)

    def forward(self, tokens):
        pad = padding_mask(tokens)
        x = self.embed(tokens)
        for block in self.blocks:
            x = block(x, src_key_padding_mask=pad)
        return self.head(self.dropout(masked_mean(x, pad)))


class TransformerTagger(TransformerText):
    def __init__(self, spec, classes, dropout):
        super().__init__(spec, classes, dropout)
        self.norm = nn.LayerNorm(params_of(spec, "embed")["dim"], eps=1e-6)

    def forward(self, tokens):
        pad = padding_mask(tokens)
        x = self.embed(tokens)
        for block in self.blocks:
            x = block(x, src_key_padding_mask=pad)
        return self.head(self.norm(x))  # [B, T, classes]


class TransformerSeq2seq(nn.Module):
    def __init__(self, spec, classes, dropout):
        super().__init__()
        source, target = spec["inputs"]
        dim = params_of(spec, "sourceEmbed")["dim"]
        self.source = TokenEmbedding(source["vocabSize"], dim, source["maxLength"], "sinusoidal")
        self.target = TokenEmbedding(target["vocabSize"], dim, target["maxLength"], "sinusoidal")
        self.encoders = nn.ModuleList(encoder_layer(dim, params_of(spec, f"encoder{i}"), dropout) for i in (1, 2))
        self.decoders = nn.ModuleList(
            nn.TransformerDecoderLayer(
                dim,
                params_of(spec, f"decoder{i}")["heads"],
                params_of(spec, f"decoder{i}")["ffnDim"],
                dropout,
                batch_first=True,
                layer_norm_eps=1e-6,
            )
            for i in (1, 2)
        )
        self.head = nn.Linear(dim, classes)

    def forward(self, source, target):
        source_pad, target_pad = padding_mask(source), padding_mask(target)
        memory = self.source(source)
        for block in self.encoders:
            memory = block(memory, src_key_padding_mask=source_pad)
        length = target.shape[1]
        causal = torch.triu(torch.ones(length, length, dtype=torch.bool), diagonal=1)
        x = self.target(target)
        for block in self.decoders:
            x = block(x, memory, tgt_mask=causal, tgt_key_padding_mask=target_pad, memory_key_padding_mask=source_pad)
        return self.head(x)


class CnnLstm(nn.Module):
    """Embedding, conv1d over trigrams, a bidirectional LSTM, additive attention pooling (v^T tanh(W h + b))."""

    def __init__(self, spec, classes, dropout):
        super().__init__()
        tokens, dim = spec["inputs"][0], params_of(spec, "embed")["dim"]
        conv, lstm, pool = params_of(spec, "conv"), params_of(spec, "lstm"), params_of(spec, "attention")
        self.embed = nn.Embedding(tokens["vocabSize"], dim)
        self.conv = nn.Conv1d(dim, conv["filters"], conv["kernelSize"], padding="same")
        self.lstm = nn.LSTM(conv["filters"], lstm["units"], batch_first=True, bidirectional=True)
        # PyTorch's LSTM has two bias vectors per direction (input and hidden), Keras' one: the second is held at 0,
        # so the function and the trainable weights are the workbench's.
        for name, bias in self.lstm.named_parameters():
            if name.startswith("bias_hh"):
                nn.init.zeros_(bias)
                bias.requires_grad_(False)
        self.score = nn.Linear(2 * lstm["units"], pool["units"])
        self.v = nn.Parameter(torch.randn(pool["units"]) * 0.1)
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(2 * lstm["units"], classes)

    def forward(self, tokens):
        pad = padding_mask(tokens)
        x = F.relu(self.conv(self.embed(tokens).transpose(1, 2))).transpose(1, 2)  # [B, T, F]
        h, _ = self.lstm(x)  # [B, T, 2U]
        scores = (torch.tanh(self.score(h)) @ self.v).masked_fill(pad, -1e9)  # [B, T]
        pooled = (torch.softmax(scores, dim=1).unsqueeze(-1) * h).sum(dim=1)
        return self.head(self.dropout(pooled))


class Mlp(nn.Module):
    def __init__(self, spec, classes, dropout):
        super().__init__()
        first = spec["inputs"][0]
        self.embed = None
        if first["kind"] == "tokens":
            dim = params_of(spec, "embed")["dim"]
            self.embed = nn.Embedding(first["vocabSize"], dim)
            width = first["maxLength"] * dim
        else:
            width = first["height"] * first["width"] * first["channels"]
        hidden1, hidden2 = params_of(spec, "hidden1")["units"], params_of(spec, "hidden2")["units"]
        self.layers = nn.Sequential(
            nn.Flatten(),
            nn.Linear(width, hidden1),
            nn.ReLU(),
            nn.Dropout(dropout),
            nn.Linear(hidden1, hidden2),
            nn.ReLU(),
            nn.Dropout(dropout),
            nn.Linear(hidden2, classes),
        )

    def forward(self, x):
        return self.layers(self.embed(x) if self.embed is not None else x)


class VisionTransformer(nn.Module):
    """Dosovitskiy et al. 2021, as the workbench's patchEmbedding: p x p patches projected by a convolution whose
    stride is its kernel, a class token and learned positions, pre-norm encoder blocks, a last norm, the class token
    read by the head."""

    def __init__(self, spec, classes, dropout):
        super().__init__()
        image, patches = spec["inputs"][0], params_of(spec, "patches")
        size, dim = patches["patchSize"], patches["dim"]
        count = (image["height"] // size) * (image["width"] // size) + 1
        self.project = nn.Conv2d(image["channels"], dim, size, stride=size)
        self.token = nn.Parameter(torch.randn(1, 1, dim) * 0.02)
        self.position = nn.Parameter(torch.randn(1, count, dim) * 0.02)
        self.blocks = nn.ModuleList(encoder_layer(dim, params_of(spec, f"encoder{i}"), dropout) for i in (1, 2, 3))
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        self.head = nn.Linear(dim, classes)

    def forward(self, x):  # [B, H, W, C], as the workbench feeds images
        x = self.project(x.permute(0, 3, 1, 2)).flatten(2).transpose(1, 2)  # [B, patches, D]
        x = torch.cat([self.token.expand(x.shape[0], -1, -1), x], dim=1) + self.position
        for block in self.blocks:
            x = block(x)
        return self.head(self.norm(x)[:, 0])


MODELS = {
    "conv-attention-image": ConvAttention,
    "cnn-lstm-text": CnnLstm,
    "transformer-text": TransformerText,
    "transformer-tagger": TransformerTagger,
    "transformer-seq2seq": TransformerSeq2seq,
    "mlp-image": Mlp,
    "mlp-text": Mlp,
    "vit-image": VisionTransformer,
}


def random_inputs(spec, batch):
    inputs = []
    for spec_input in spec["inputs"]:
        if spec_input["kind"] == "image":
            inputs.append(torch.rand(batch, spec_input["height"], spec_input["width"], spec_input["channels"]))
        else:
            inputs.append(torch.randint(1, spec_input["vocabSize"], (batch, spec_input["maxLength"])))
    return inputs


def blas_library():
    """Which BLAS torch's products went through: Debian's torch links whichever libblas.so.3 is installed, and the
    reference one is about 15x slower than OpenBLAS (libopenblas0-pthread)."""
    try:
        with open("/proc/self/maps") as maps:
            text = maps.read()
    except OSError:
        return "unknown"
    for name in ("openblas", "mkl", "blis"):
        if name in text:
            return name
    return "reference" if "libblas.so" in text else "unknown"


def main():
    request = json.load(sys.stdin)
    # One thread unless asked for more (the side-by-side against the workbench's replicas).
    torch.set_num_threads(request.get("threads", 1))
    torch.manual_seed(0)
    spec, batch, classes = request["spec"], request["batch"], request["classes"]
    model = MODELS[request["preset"]](spec, classes, 0.1)
    model.train()
    inputs = random_inputs(spec, batch)
    sequence = spec["task"] in ("sequence-labelling", "seq2seq")
    last = spec["inputs"][-1]
    targets = torch.randint(1, classes, (batch, last["maxLength"]) if sequence else (batch,))
    optimizer = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=1e-3)

    def step():
        optimizer.zero_grad()
        logits = model(*inputs)
        if sequence:
            loss = F.cross_entropy(logits.reshape(-1, classes), targets.reshape(-1), ignore_index=0)
        else:
            loss = F.cross_entropy(logits, targets)
        loss.backward()
        optimizer.step()
        return loss.item()

    for _ in range(request["warmup"]):
        step()
    start = time.perf_counter()
    steps = 0
    while steps < request["steps"] or time.perf_counter() - start < request.get("seconds", 0):
        step()
        steps += 1
    ms = (time.perf_counter() - start) * 1000 / steps
    parameters = sum(p.numel() for p in model.parameters() if p.requires_grad)
    print(
        json.dumps(
            {
                "parameters": parameters,
                "msPerStep": ms,
                "samplesPerSecond": batch * 1000 / ms,
                "torch": torch.__version__,
                "blas": blas_library(),
                "threads": torch.get_num_threads(),
            }
        )
    )


if __name__ == "__main__":
    main()
