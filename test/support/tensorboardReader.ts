/**
 * An independent reader of TensorBoard event files, written from the formats' specifications rather than shared
 * with the writer: TFRecord framing with masked CRC-32C (computed bit by bit here, not by the writer's library),
 * and a protocol-buffer decoder of the Event and Summary fields that TensorBoard's scalar plugin reads.
 */
function crc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
const masked = (bytes: Uint8Array) => {
  const crc = crc32c(bytes);
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
};

type Field = { number: number; value: number | bigint | Uint8Array };
function protoFields(bytes: Uint8Array): Field[] {
  const fields: Field[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const varint = () => {
    let [value, shift] = [0n, 0n];
    for (;;) {
      const byte = bytes[at++]!;
      value |= BigInt(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return value;
      shift += 7n;
    }
  };
  while (at < bytes.length) {
    const key = Number(varint());
    const [number, wire] = [key >> 3, key & 7];
    if (wire === 0) fields.push({ number, value: varint() });
    else if (wire === 1) fields.push({ number, value: view.getFloat64((at += 8) - 8, true) });
    else if (wire === 5) fields.push({ number, value: view.getFloat32((at += 4) - 4, true) });
    else if (wire === 2) {
      const length = Number(varint());
      fields.push({ number, value: bytes.subarray(at, (at += length)) });
    } else throw new Error(`wire type ${wire}`);
  }
  return fields;
}

export interface ReadEvent {
  step: number;
  fileVersion?: string;
  scalars: Record<string, number>;
}
export function readEventFile(file: Buffer): ReadEvent[] {
  const events: ReadEvent[] = [];
  for (let at = 0; at < file.length;) {
    const length = Number(file.readBigUInt64LE(at));
    if (file.readUInt32LE(at + 8) !== masked(file.subarray(at, at + 8)))
      throw new Error(`bad length checksum at ${at}`);
    const data = file.subarray(at + 12, at + 12 + length);
    if (file.readUInt32LE(at + 12 + length) !== masked(data)) throw new Error(`bad data checksum at ${at}`);
    at += 16 + length;
    const event: ReadEvent = { step: 0, scalars: {} };
    for (const field of protoFields(data)) {
      if (field.number === 2) event.step = Number(field.value);
      if (field.number === 3) event.fileVersion = new TextDecoder().decode(field.value as Uint8Array);
      if (field.number === 5) {
        for (const value of protoFields(field.value as Uint8Array)) {
          const parts = protoFields(value.value as Uint8Array);
          const tag = new TextDecoder().decode(parts.find((p) => p.number === 1)!.value as Uint8Array);
          event.scalars[tag] = parts.find((p) => p.number === 2)!.value as number;
        }
      }
    }
    events.push(event);
  }
  return events;
}
