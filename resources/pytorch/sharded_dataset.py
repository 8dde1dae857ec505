"""The workbench's image shards as a PyTorch Dataset, read where they lie instead of copied into the export.

A sharded dataset is fixed-size shards of uint8 records [height, width, channels] (data/shards.json names them,
with their folder) and labels.bin (int32 per record) beside them. Each split is the list of records it reads
(data/<split>-records.safetensors). The Dataset is map-style, so DistributedSampler shares it among processes;
each worker process maps the shards it touches (numpy.memmap) the first time it reads one.
"""

import json
import os
from typing import Dict, Optional, Tuple

import numpy as np
import torch
from torch.utils.data import Dataset


class ShardedImages(Dataset):
    """Records of a split: images as float32 [H, W, C] in [0, 1], labels as int64, as train.py feeds the model."""

    def __init__(self, index_path: str, records: torch.Tensor, folder: Optional[str] = None):
        with open(index_path, encoding="utf-8") as file:
            index = json.load(file)
        self.folder = folder or index["folder"]
        self.shape = tuple(index["shape"])
        self.record_bytes = index["recordBytes"]
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
                dtype=np.uint8,
                mode="r",
                shape=(entry["records"], *self.shape),
            )
        return self.maps[number]

    def __getitem__(self, i: int) -> Tuple[torch.Tensor, torch.Tensor]:
        record = int(self.records[i])
        pixels = self.shard(record // self.per_shard)[record % self.per_shard]
        return torch.from_numpy(pixels.astype(np.float32) / 255), torch.tensor(int(self.labels[record]))
