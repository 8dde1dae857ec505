"""Trains the exported model with its run's recipe, and writes the run in the workbench's layout.

    python train.py                                      one process (CUDA when present)
    torchrun --nproc_per_node=N train.py                 N processes (DistributedDataParallel; gloo on CPU, nccl on CUDA)
    torchrun --nnodes=M --nproc_per_node=N --rdzv_endpoint=HOST:PORT train.py     the same across machines

The batch size is the global batch, split over the processes. Rank 0 writes --out: run.json, metrics.log (the
workbench's framed records), checkpoints/ every checkpointEvery epochs with the optimizer's state (--resume goes
on from the latest), and weights.safetensors at the end; it prints one JSON event per line, as `npm run train --
--json` does. --epochs 0 only evaluates the weights it is given on the test split.
"""

import argparse
import json
import math
import os
import random
import socket
import struct
import sys
import time
import zlib
from datetime import datetime, timezone
from typing import Dict, List, Optional, Tuple

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, Dataset, DistributedSampler, TensorDataset

from model import WORKBENCH_WEIGHTS, Model, load_workbench_weights, read_safetensors

HERE = os.path.dirname(os.path.abspath(__file__))


def read_json(name: str):
    with open(os.path.join(HERE, name), encoding="utf-8") as file:
        return json.load(file)


RECIPE = read_json("recipe.json")  # the run's hyper-parameters, as the workbench names them
DATASET = read_json(os.path.join("data", "dataset.json"))  # inputs, task, classes


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--epochs", type=int, default=RECIPE["epochs"])
    parser.add_argument("--batch-size", type=int, default=RECIPE["batchSize"], help="the global batch")
    parser.add_argument("--learning-rate", type=float, default=RECIPE["learningRate"])
    parser.add_argument("--seed", type=int, default=RECIPE["seed"])
    parser.add_argument("--weights", default=os.path.join(HERE, "weights.safetensors"), help="the weights to start from")
    parser.add_argument("--out", default=os.path.join(HERE, "run"), help="where rank 0 writes the run")
    parser.add_argument("--resume", action="store_true", help="go on from --out's latest checkpoint")
    parser.add_argument("--onnx", action="store_true", help="also write model.onnx (torch.onnx.export)")
    parser.add_argument("--shards", help="where a sharded dataset's shards are, when not where data/shards.json says")
    return parser.parse_args()


def split(name: str, shards: Optional[str] = None) -> Dataset:
    """A split as the model reads it: token ids as int64, image bytes scaled to [0, 1], targets as int64."""
    index = os.path.join(HERE, "data", "shards.json")
    if os.path.exists(index):  # a dataset too big to copy: its records read from the workbench's shards
        from sharded_dataset import sharded_split

        records = read_safetensors(os.path.join(HERE, "data", f"{name}-records.safetensors"))["records"]
        return sharded_split(index, records, shards)
    tensors = read_safetensors(os.path.join(HERE, "data", f"{name}.safetensors"))
    inputs = [
        tensors[i["id"]].long() if i["kind"] == "tokens" else tensors[i["id"]].float() / 255 for i in DATASET["inputs"]
    ]
    return TensorDataset(*inputs, tensors["targets"].long())


def task_loss(logits: torch.Tensor, targets: torch.Tensor, smoothing: float = 0.0) -> torch.Tensor:
    """Softmax cross-entropy; per token (targets [B, T]) the padding (0) is left out of the mean, as the workbench's."""
    sequence = targets.dim() == 2
    return F.cross_entropy(
        logits.reshape(-1, logits.shape[-1]),
        targets.reshape(-1),
        ignore_index=0 if sequence else -100,
        label_smoothing=smoothing,
    )


def counts(logits: torch.Tensor, targets: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
    """[right, counted]: examples, or per token real positions, whose arg-max class is the target."""
    right = (logits.argmax(dim=-1) == targets).float()
    if targets.dim() == 1:
        return right.sum(), torch.tensor(float(targets.shape[0]), device=targets.device)
    real = (targets != 0).float()
    return (right * real).sum(), real.sum()


@torch.no_grad()
def evaluate(model: torch.nn.Module, loader: DataLoader, device: torch.device) -> Dict[str, float]:
    """Loss and accuracy over a split, summed over every process's share."""
    model.eval()
    totals = torch.zeros(3, device=device, dtype=torch.float64)  # loss x counted, right, counted
    for *inputs, targets in loader:
        inputs, targets = [x.to(device) for x in inputs], targets.to(device)
        logits, _ = model(*inputs)
        right, counted = counts(logits, targets)
        if counted > 0:
            totals += torch.stack([task_loss(logits, targets) * counted, right, counted]).double()
    if dist.is_initialized():
        dist.all_reduce(totals)
    loss, right, counted = totals.tolist()
    return {"loss": loss / max(1.0, counted), "accuracy": right / max(1.0, counted)}


def learning_rate_at(step: int, total: int, per_epoch: int, peak: float) -> float:
    """The workbench's schedules (src/shared/learningRateSchedule.ts), step counted from 1."""
    warmup, schedule = RECIPE["warmupSteps"], RECIPE["schedule"]
    if schedule == "inverse-sqrt":
        w = max(1, warmup)
        return peak * min(step / w, math.sqrt(w / step))
    if warmup > 0 and step <= warmup:
        return peak * step / warmup
    if schedule == "step":
        return peak * RECIPE["stepGamma"] ** ((step - 1) // (RECIPE["stepEpochs"] * max(1, per_epoch)))
    if schedule == "cosine":
        progress = min(1.0, (step - warmup) / max(1, total - warmup))
        return 0.5 * peak * (1 + math.cos(math.pi * progress))
    return peak


def optimizer_for(model: torch.nn.Module, peak: float) -> torch.optim.Optimizer:
    """The recipe's optimizer with the workbench's constants (Adam's epsilon 1e-7, as TensorFlow.js')."""
    params, kind, momentum = model.parameters(), RECIPE["optimizer"], RECIPE["momentum"]
    if kind in ("adam", "adamw"):
        return torch.optim.Adam(params, lr=peak, betas=(0.9, 0.999), eps=1e-7)
    if kind == "sgd":
        return torch.optim.SGD(params, lr=peak, momentum=momentum, nesterov=RECIPE["nesterov"] and momentum > 0)
    return torch.optim.RMSprop(params, lr=peak, alpha=0.9, eps=1e-7, momentum=momentum)


def decayed(model: Model) -> List[torch.nn.Parameter]:
    """Kernels and embeddings: what decoupled weight decay shrinks (never biases, norms or positions)."""
    keys = {key for name, key in WORKBENCH_WEIGHTS.items() if name.endswith(("kernel", "embeddings"))}
    return [parameter for key, parameter in model.named_parameters() if key in keys]


def frame(record: dict) -> str:
    """One metrics.log line: the CRC-32 of the JSON as 8 hex digits, a space, the JSON."""
    text = json.dumps(record, separators=(",", ":"))
    return f"{zlib.crc32(text.encode()):08x} {text}\n"


def write_safetensors(path: str, tensors: Dict[str, torch.Tensor]) -> None:
    """The safetensors format: 8 bytes of header length, the JSON header (padded to 8 bytes), then the data."""
    header, blobs, offset = {}, [], 0
    for name, tensor in tensors.items():
        data = tensor.detach().cpu().contiguous().float().numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensor.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path + ".tmp", "wb") as file:
        file.write(len(text).to_bytes(8, "little") + text + b"".join(blobs))
    os.replace(path + ".tmp", path)


def workbench_weights(model: Model) -> Dict[str, torch.Tensor]:
    state = model.state_dict()
    return {name: state[key] for name, key in WORKBENCH_WEIGHTS.items()}


def _crc32c_table() -> List[int]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
        table.append(crc)
    return table


CRC32C_TABLE = _crc32c_table()


def masked_crc32c(data: bytes) -> int:
    """TFRecord's checksum: CRC-32C, rotated right by 15 bits plus a constant."""
    crc = 0xFFFFFFFF
    for byte in data:
        crc = CRC32C_TABLE[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    crc ^= 0xFFFFFFFF
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def varint(value: int) -> bytes:
    out = bytearray()
    while True:
        low, value = value & 0x7F, value >> 7
        out.append(low | 0x80 if value else low)
        if not value:
            return bytes(out)


def length_delimited(number: int, data: bytes) -> bytes:
    return varint(number << 3 | 2) + varint(len(data)) + data


class TensorboardWriter:
    """TensorBoard's event file (a TFRecord of Event protocol buffers, scalars only), written without TensorBoard
    installed, with the workbench's tags: `tensorboard --logdir run` shows the curves."""

    def __init__(self, folder: str):
        os.makedirs(folder, exist_ok=True)
        self.path = os.path.join(folder, f"events.out.tfevents.{int(time.time())}.{socket.gethostname()}")
        self.write(0, {}, "brain.Event:2")

    def write(self, step: int, scalars: Dict[str, float], file_version: str = "") -> None:
        event = b"\x09" + struct.pack("<d", time.time())  # wall_time (1)
        event += varint(2 << 3) + varint(step) if step else b""  # step (2)
        event += length_delimited(3, file_version.encode()) if file_version else b""
        values = b"".join(
            length_delimited(1, length_delimited(1, tag.encode()) + b"\x15" + struct.pack("<f", value))
            for tag, value in scalars.items()
        )
        event += length_delimited(5, values) if values else b""  # summary (5): value (1): tag (1), simple_value (2)
        header = len(event).to_bytes(8, "little")
        with open(self.path, "ab") as file:
            file.write(header + masked_crc32c(header).to_bytes(4, "little") + event + masked_crc32c(event).to_bytes(4, "little"))


def scalars_of(event: dict) -> Dict[str, float]:
    """The scalars of an event, under the workbench's TensorBoard tags."""
    if event["type"] == "progress":
        return {"train/loss": event["loss"], "train/samples_per_second": event["samplesPerSecond"]}
    if event["type"] == "epoch":
        return {
            "epoch/loss": event["loss"], "epoch/accuracy": event["accuracy"],
            "validation/loss": event["valLoss"], "validation/accuracy": event["valAccuracy"],
        }
    if event["type"] == "finished" and "test" in event:
        return {"test/loss": event["test"]["loss"], "test/accuracy": event["test"]["accuracy"]}
    return {}


class Run:
    """What rank 0 writes: the run in the workbench's layout, and its events on stdout."""

    def __init__(self, out: str, world: int, device: torch.device):
        self.out, self.primary = out, not dist.is_initialized() or dist.get_rank() == 0
        self.run_id = os.path.basename(os.path.abspath(out))
        self.backend = f"pytorch {torch.__version__} · {'torchrun ' if dist.is_initialized() else ''}{world}×{device.type}"
        self.last_step = 0
        if self.primary:
            os.makedirs(os.path.join(out, "checkpoints"), exist_ok=True)
            self.tensorboard = TensorboardWriter(os.path.join(out, "tensorboard"))

    def emit(self, event: dict) -> None:
        if not self.primary:
            return
        event = {"type": event.pop("type"), "runId": self.run_id, **event}
        print(json.dumps(event), flush=True)
        with open(os.path.join(self.out, "metrics.log"), "a", encoding="utf-8") as log:
            log.write(frame(event))
        self.last_step = event.get("globalStep", self.last_step)
        scalars = scalars_of(event)
        if scalars:
            self.tensorboard.write(self.last_step, scalars)

    def record(self, **fields) -> None:
        if not self.primary:
            return
        path = os.path.join(self.out, "run.json")
        record = {}
        if os.path.exists(path):
            with open(path, encoding="utf-8") as file:
                record = json.load(file)
        record.update(fields, updatedAt=datetime.now(timezone.utc).isoformat())
        with open(path + ".tmp", "w", encoding="utf-8") as file:
            json.dump(record, file)
        os.replace(path + ".tmp", path)


class Logits(torch.nn.Module):
    """The model with its logits as its one output: what an ONNX runtime serves."""

    def __init__(self, model: Model):
        super().__init__()
        self.model = model

    def forward(self, *inputs: torch.Tensor) -> torch.Tensor:
        return self.model(*inputs)[0]


def export_onnx(model: Model, example: List[torch.Tensor], out: str) -> None:
    """model.onnx beside the weights, its batch axis left free."""
    model.eval()
    names = [i["id"] for i in DATASET["inputs"]]
    torch.onnx.export(
        Logits(model), tuple(example), os.path.join(out, "model.onnx"), input_names=names, output_names=["logits"],
        dynamic_axes={**{name: {0: "batch"} for name in names}, "logits": {0: "batch"}}, opset_version=14,
    )


def main() -> int:
    args = arguments()
    distributed = "WORLD_SIZE" in os.environ and int(os.environ["WORLD_SIZE"]) > 1
    cuda = torch.cuda.is_available()
    if distributed:
        dist.init_process_group("nccl" if cuda else "gloo")
    rank, world = (dist.get_rank(), dist.get_world_size()) if distributed else (0, 1)
    device = torch.device(f"cuda:{int(os.environ.get('LOCAL_RANK', 0))}" if cuda else "cpu")
    torch.manual_seed(args.seed)
    random.seed(args.seed)

    model = Model().to(device)
    load_workbench_weights(model, args.weights)
    run = Run(args.out, world, device)
    peak = args.learning_rate
    optimizer = optimizer_for(model, peak)
    start_epoch, global_step = 0, 0
    latest = os.path.join(args.out, "checkpoints", "latest.pt")
    if args.resume:
        state = torch.load(latest, map_location=device)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        start_epoch, global_step = state["epoch"], state["globalStep"]
    trained = DistributedDataParallel(model) if distributed else model

    train, validation, test = (split(name, args.shards) for name in ("train", "validation", "test"))
    per_process = max(1, args.batch_size // world)
    sampler = DistributedSampler(train, world, rank, shuffle=True, seed=args.seed) if distributed else None
    generator = torch.Generator().manual_seed(args.seed)
    train_loader = DataLoader(train, per_process, shuffle=sampler is None, sampler=sampler, generator=generator)
    # Each process evaluates every world-th example: no example twice (DistributedSampler would pad), sums reduced.
    evaluation = lambda data: DataLoader(data, per_process, sampler=range(rank, len(data), world))  # noqa: E731
    steps_per_epoch, total_steps = len(train_loader), len(train_loader) * args.epochs
    classes = DATASET["classNames"]
    run.record(
        id=run.run_id, status="running", startedAt=datetime.now(timezone.utc).isoformat(), backend={"name": run.backend},
        hyperParams={**RECIPE, "epochs": args.epochs, "batchSize": args.batch_size, "learningRate": peak},
    )
    run.emit(
        {
            "type": "started", "backend": run.backend, "datasetId": DATASET["datasetId"], "modelName": DATASET["modelName"],
            "parameterCount": sum(p.numel() for p in model.parameters()), "classNames": classes,
            "split": {"train": len(train), "validation": len(validation), "test": len(test)},
            "stepsPerEpoch": steps_per_epoch, "processes": world,
            **({"resumedFrom": {"epoch": start_epoch, "globalStep": global_step}} if args.resume else {}),
        }
    )
    shrink = decayed(model)
    decay = 0.01 if RECIPE["optimizer"] == "adamw" and RECIPE["weightDecay"] == 0 else RECIPE["weightDecay"]
    best = math.inf
    # Early stopping as the workbench's: by validation loss or accuracy, better only by more than the minimum delta;
    # with restore-best, the best epoch's weights are put back before the test split is measured.
    patience, by_accuracy = RECIPE["earlyStoppingPatience"], RECIPE["earlyStoppingMetric"] == "val-accuracy"
    watched = {"value": -math.inf if by_accuracy else math.inf, "epoch": 0, "state": None}
    reason, epochs_done = None, start_epoch
    for epoch in range(start_epoch + 1, args.epochs + 1):
        if sampler is not None:
            sampler.set_epoch(epoch)
        trained.train()
        began, window, window_loss, window_steps, window_samples = time.time(), time.time(), 0.0, 0, 0
        epoch_loss, epoch_right, epoch_counted = 0.0, 0.0, 0.0
        for step, (*inputs, targets) in enumerate(train_loader, start=1):
            inputs, targets = [x.to(device) for x in inputs], targets.to(device)
            global_step += 1
            rate = learning_rate_at(global_step, total_steps, steps_per_epoch, peak)
            for group in optimizer.param_groups:
                group["lr"] = rate
            logits, _ = trained(*inputs)
            loss = task_loss(logits, targets, RECIPE["labelSmoothing"])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            if RECIPE["clipNorm"] > 0:
                torch.nn.utils.clip_grad_norm_(model.parameters(), RECIPE["clipNorm"])
            optimizer.step()
            if decay > 0:  # decoupled (Loshchilov & Hutter 2019): w <- w - lr * wd * w
                with torch.no_grad():
                    for parameter in shrink:
                        parameter.mul_(1 - rate * decay)
            right, counted = counts(logits.detach(), targets)
            epoch_loss += loss.item() * counted.item()
            epoch_right, epoch_counted = epoch_right + right.item(), epoch_counted + counted.item()
            window_loss, window_steps = window_loss + loss.item(), window_steps + 1
            window_samples += targets.shape[0] * world
            if time.time() - window >= 1 or step == steps_per_epoch:
                run.emit(
                    {
                        "type": "progress", "epoch": epoch, "step": step, "globalStep": global_step,
                        "loss": window_loss / window_steps, "learningRate": rate,
                        "samplesPerSecond": window_samples / max(1e-9, time.time() - window),
                    }
                )
                window, window_loss, window_steps, window_samples = time.time(), 0.0, 0, 0
        figures = evaluate(trained, evaluation(validation), device)
        run.emit(
            {
                "type": "epoch", "epoch": epoch, "loss": epoch_loss / max(1.0, epoch_counted),
                "accuracy": epoch_right / max(1.0, epoch_counted), "valLoss": figures["loss"],
                "valAccuracy": figures["accuracy"], "seconds": time.time() - began,
            }
        )
        if run.primary and (epoch % max(1, RECIPE["checkpointEvery"] or 1) == 0 or epoch == args.epochs):
            state = {"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": epoch, "globalStep": global_step}
            torch.save(state, latest + ".tmp")
            os.replace(latest + ".tmp", latest)
        epochs_done = epoch
        if figures["loss"] < best:
            best = figures["loss"]
            run.record(best={"epoch": epoch, "valLoss": figures["loss"], "valAccuracy": figures["accuracy"]})
        if patience > 0:
            value, delta = figures["accuracy" if by_accuracy else "loss"], RECIPE["earlyStoppingMinDelta"]
            if value > watched["value"] + delta if by_accuracy else value < watched["value"] - delta:
                keep = {k: v.detach().clone() for k, v in model.state_dict().items()} if RECIPE["restoreBest"] else None
                watched = {"value": value, "epoch": epoch, "state": keep}
            elif epoch - watched["epoch"] >= patience:
                name = "validation accuracy" if by_accuracy else "validation loss"
                reason = f"early stopping: no better {name} since epoch {watched['epoch']}"
                break
    if watched["state"] is not None:
        model.load_state_dict(watched["state"])
    figures = evaluate(trained, evaluation(test), device)
    if run.primary:
        write_safetensors(os.path.join(args.out, "weights.safetensors"), workbench_weights(model))
        if args.onnx:
            export_onnx(model, [x[:1].to(device) for x in next(iter(evaluation(test)))[:-1]], args.out)
    run.record(status="completed", finishedAt=datetime.now(timezone.utc).isoformat(), test=figures)
    run.emit(
        {"type": "finished", "status": "completed", "epochs": epochs_done, "test": figures, **({"reason": reason} if reason else {})}
    )
    if distributed:
        # Every rank reaches the end before any tears the group down: rank 0 is still writing the weights (and ONNX)
        # when the others finish, and a group destroyed under a peer can leave that peer waiting forever.
        dist.barrier()
        dist.destroy_process_group()
    return 0


if __name__ == "__main__":
    sys.exit(main())
