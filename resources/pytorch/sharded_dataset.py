"""The workbench's shards as a PyTorch Dataset, read where they lie instead of copied into the export.

A sharded dataset is fixed-size shards of fixed-size records (data/shards.json names them, with their folder and
what a record is) and labels.bin (int32 per record) beside them. A record is an image's uint8 pixels
[height, width, channels], or a text's first token ids (uint32, 0-padded). Each split is the list of records it
reads (data/<split>-records.safetensors). The Datasets are map-style, so DistributedSampler shares them among
processes; each worker process maps the shards it touches (numpy.memmap) the first time it reads one.
"""

import json
import os
from typing import Dict, Optional, Tuple

import numpy as np
import torch
from torch.utils.data import Dataset


class ShardedRecords(Dataset):
    """A split's records and labels; `features` turns one record into what the model reads."""

    dtype: type = np.uint8

    def __init__(self, index: dict, records: torch.Tensor, folder: Optional[str] = None):
        self.index = index
        self.folder = folder or index["folder"]
        self.shape = tuple(index["shape"])
        self.per_shard = index["recordsPerShard"]
        self.shards = index["shards"]
        self.records = records.long().numpy()
        labels_path = os.path.join(self.folder, index["labels"])
        if not os.path.exists(labels_path):
            raise FileNotFoundError(f"{labels_path}: the dataset's shards are not there; pass --shards FOLDER")
        self.labels = np.fromfile(labels_path, dtype="<i4")
        self.maps: Dict[int, np.memmap] = {}

    def __len__(self) -> int:
        return len(self.records)

    def shard(self, number: int) -> np.memmap:
        if number not in self.maps:
            entry = self.shards[number]
            self.maps[number] = np.memmap(
                os.path.join(self.folder, entry["file"]),
                dtype=self.dtype,
                mode="r",
                shape=(entry["records"], *self.shape),
            )
        return self.maps[number]

    def features(self, record: np.ndarray) -> torch.Tensor:
        raise NotImplementedError

    def __getitem__(self, i: int) -> Tuple[torch.Tensor, torch.Tensor]:
        record = int(self.records[i])
        values = self.shard(record // self.per_shard)[record % self.per_shard]
        return self.features(values), torch.tensor(int(self.labels[record]))


class ShardedImages(ShardedRecords):
    """Images as float32 [H, W, C] in [0, 1], as train.py feeds the model."""

    def features(self, record: np.ndarray) -> torch.Tensor:
        return torch.from_numpy(record.astype(np.float32) / 255)


class ShardedTokens(ShardedRecords):
    """Texts as int64 ids [length]: the record's first ids, 0-padded, ids past the model's vocabulary as <unk> (1)."""

    dtype = np.dtype("<u4")

    def features(self, record: np.ndarray) -> torch.Tensor:
        length, vocab_size = self.index["length"], self.index["vocabSize"]
        ids = np.zeros(length, dtype=np.int64)
        kept = record[:length].astype(np.int64)
        ids[: len(kept)] = np.where(kept < vocab_size, kept, 1)
        return torch.from_numpy(ids)


def sharded_split(index_path: str, records: torch.Tensor, folder: Optional[str] = None) -> ShardedRecords:
    """The Dataset of a split of the dataset data/shards.json describes: images or token ids."""
    with open(index_path, encoding="utf-8") as file:
        index = json.load(file)
    kind = ShardedTokens if index.get("record") == "tokens" else ShardedImages
    return kind(index, records, folder)
