/**
 * JSON for the browser host's WebSocket, which cannot carry typed arrays the way Electron's structured clone does:
 * a Float32Array travels as {"$f32": base64 of its bytes} and comes back as a Float32Array (4 bytes per value
 * instead of ~20 as decimal text).
 */

function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function encodeWire(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v instanceof Float32Array ? { $f32: bytesToBase64(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)) } : v,
  );
}

export function decodeWire(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v && typeof v === 'object' && typeof (v as { $f32?: unknown }).$f32 === 'string') {
      const bytes = base64ToBytes((v as { $f32: string }).$f32);
      return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    }
    return v;
  });
}

/** JSON for files and terminals, where a reader expects numbers: typed arrays written as plain arrays. */
export function toPlainJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v instanceof Float32Array ? Array.from(v) : v));
}
