import { decodeImage, resizeInto } from '../decodeImage';
import { decodeWithSharp, loadSharp } from './sharpDecoder';
import { recordBytesOf, type ImageTarget } from './imageTarget';

/** Which library decodes, and why not sharp when it is not. */
export interface Decoder {
  name: 'sharp' | 'jpeg-js/pngjs';
  note?: string;
  decode(bytes: Uint8Array, target: ImageTarget): Promise<Uint8Array>;
}

/** sharp when its binary loads; jpeg-js and pngjs (JPEG and PNG only, in JavaScript) otherwise. */
export async function loadDecoder(importSharp?: () => Promise<unknown>): Promise<Decoder> {
  const loaded = await loadSharp(importSharp);
  if ('sharp' in loaded)
    return { name: 'sharp', decode: (bytes, target) => decodeWithSharp(loaded.sharp, bytes, target) };
  return {
    name: 'jpeg-js/pngjs',
    note: `sharp could not be loaded (${loaded.unavailable}): images were decoded by jpeg-js and pngjs, PNG and JPEG only, several times slower`,
    decode: async (bytes, target) => {
      const record = new Uint8Array(recordBytesOf(target));
      resizeInto(decodeImage(bytes), target.height, target.width, target.channels, record, 0);
      return record;
    },
  };
}
