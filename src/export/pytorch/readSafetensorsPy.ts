/**
 * model.py's reader of .safetensors files: the safetensors package when it is installed, else these few lines (the
 * format is a JSON header and the tensors' raw little-endian bytes), so the export needs nothing beyond PyTorch.
 */
export const READ_SAFETENSORS = `def read_safetensors(path: str) -> Dict[str, torch.Tensor]:
    """The tensors of a .safetensors file, by name."""
    try:
        from safetensors.torch import load_file

        return load_file(path)
    except ImportError:
        pass
    with open(path, "rb") as file:
        data = file.read()
    size = int.from_bytes(data[:8], "little")
    header = json.loads(data[8 : 8 + size])
    dtypes = {"F32": torch.float32, "I32": torch.int32, "I64": torch.int64, "U8": torch.uint8}
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        raw = bytearray(data[8 + size + begin : 8 + size + end])
        flat = torch.frombuffer(raw, dtype=dtypes[entry["dtype"]]) if raw else torch.zeros(0, dtype=dtypes[entry["dtype"]])
        tensors[name] = flat.reshape(entry["shape"])
    return tensors`;
