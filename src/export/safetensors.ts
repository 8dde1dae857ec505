/**
 * The safetensors format (huggingface/safetensors), written and read in TypeScript so that the app needs no Python:
 * 8 bytes of little-endian header length N, N bytes of JSON header ({name: {dtype, shape, data_offsets: [begin,
 * end]}}, plus an optional "__metadata__" of strings), then the tensors' bytes back to back, little-endian, in the
 * order of their offsets. The header is padded with spaces to a multiple of 8 bytes, as the reference writer does.
 */

export type SafetensorsDtype = 'F32' | 'I32' | 'I64' | 'U8';

export interface NamedTensor {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  data: Float32Array | Int32Array | BigInt64Array | Uint8Array;
}

const BYTES: Record<SafetensorsDtype, number> = { F32: 4, I32: 4, I64: 8, U8: 1 };
/** The largest header a reader here accepts: the reference implementation's own limit (100 MB). */
const MAX_HEADER_BYTES = 100_000_000;

export function encodeSafetensors(tensors: readonly NamedTensor[], metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = Object.keys(metadata).length ? { __metadata__: metadata } : {};
  let offset = 0;
  for (const tensor of tensors) {
    const count = tensor.shape.reduce((a, b) => a * b, 1);
    if (count !== tensor.data.length) {
      throw new Error(
        `tensor ${tensor.name}: shape [${tensor.shape}] holds ${count} values, its data ${tensor.data.length}`,
      );
    }
    if (tensor.name in header) throw new Error(`tensor ${tensor.name} is named twice`);
    const bytes = count * BYTES[tensor.dtype];
    header[tensor.name] = { dtype: tensor.dtype, shape: tensor.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const tensor of tensors) {
    // Typed arrays are little-endian on every platform Node and Electron run on.
    const bytes = new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
    out.set(bytes, at);
    at += bytes.length;
  }
  return out;
}

export interface DecodedSafetensors {
  tensors: NamedTensor[];
  metadata: Record<string, string>;
}

/** Reads a safetensors file, checking every offset against the file; a malformed one throws saying what is wrong. */
export function decodeSafetensors(bytes: Uint8Array): DecodedSafetensors {
  if (bytes.length < 8) throw new Error('not a safetensors file: shorter than its 8-byte header length');
  const length = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (length > BigInt(Math.min(MAX_HEADER_BYTES, bytes.length - 8))) {
    throw new Error(`not a safetensors file: its header claims ${length} bytes of ${bytes.length - 8}`);
  }
  const start = 8 + Number(length);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, start)));
  } catch (error) {
    throw new Error(`not a safetensors file: its header is not JSON (${(error as Error).message})`, { cause: error });
  }
  if (!header || typeof header !== 'object' || Array.isArray(header))
    throw new Error('safetensors header: not an object');
  const tensors: NamedTensor[] = [];
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      metadata = entry as Record<string, string>;
      continue;
    }
    const {
      dtype,
      shape,
      data_offsets: offsets,
    } = (entry ?? {}) as {
      dtype?: unknown;
      shape?: unknown;
      data_offsets?: unknown;
    };
    if (typeof dtype !== 'string' || !(dtype in BYTES))
      throw new Error(`tensor ${name}: unsupported dtype ${String(dtype)}`);
    const validShape = Array.isArray(shape) && shape.every((d) => Number.isSafeInteger(d) && d >= 0);
    const validOffsets =
      Array.isArray(offsets) && offsets.length === 2 && offsets.every((o) => Number.isSafeInteger(o) && o >= 0);
    if (!validShape || !validOffsets) throw new Error(`tensor ${name}: malformed shape or data_offsets`);
    const [begin, end] = offsets as [number, number];
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    const kind = dtype as SafetensorsDtype;
    if (end - begin !== count * BYTES[kind] || start + end > bytes.length || begin > end) {
      throw new Error(`tensor ${name}: its offsets [${begin}, ${end}] do not hold shape [${shape}] inside the file`);
    }
    // A copy of its own (Buffer.slice would share the file's memory, and its .buffer is the whole pool).
    const slice = Uint8Array.prototype.slice.call(bytes, start + begin, start + end);
    const data =
      kind === 'F32'
        ? new Float32Array(slice.buffer)
        : kind === 'I32'
          ? new Int32Array(slice.buffer)
          : kind === 'I64'
            ? new BigInt64Array(slice.buffer)
            : slice;
    tensors.push({ name, dtype: kind, shape: shape as number[], data });
  }
  return { tensors, metadata };
}
