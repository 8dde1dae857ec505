import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { MAX_PIXELS_PER_IMAGE } from './imageBudget';

/** A decoded image: RGBA bytes, row-major. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function pngSize(bytes: Uint8Array): { width: number; height: number } | null {
  if (bytes.length < 24 || !PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/**
 * PNG (pngjs) or JPEG (jpeg-js), told apart by their signatures, not the file name. The declared size is checked
 * before decoding, so that a header claiming a gigapixel image is refused without allocating it. Throws with the
 * reason when the bytes cannot be decoded.
 */
export function decodeImage(bytes: Uint8Array): RgbaImage {
  const png = pngSize(bytes);
  if (png) {
    if (png.width * png.height > MAX_PIXELS_PER_IMAGE)
      throw new Error(`declares ${png.width}x${png.height} pixels, more than ${MAX_PIXELS_PER_IMAGE}`);
    const decoded = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return {
      width: decoded.width,
      height: decoded.height,
      data: new Uint8Array(decoded.data.buffer, decoded.data.byteOffset, decoded.data.byteLength),
    };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    const decoded = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      maxResolutionInMP: MAX_PIXELS_PER_IMAGE / 1e6,
      maxMemoryUsageInMB: 1024,
    });
    return { width: decoded.width, height: decoded.height, data: decoded.data };
  }
  throw new Error('neither a PNG nor a JPEG file');
}

/**
 * Bilinear resampling of an RGBA image to height x width with 1 (luma) or 3 (RGB) channels, written into `out`.
 * Transparent pixels count as black, the usual background of digit and glyph datasets.
 */
export function resizeInto(
  image: RgbaImage,
  height: number,
  width: number,
  channels: 1 | 3,
  out: Uint8Array,
  offset: number,
): void {
  const { data } = image;
  const scaleY = image.height / height;
  const scaleX = image.width / width;
  const sample = (x: number, y: number, c: number) => {
    const i = (y * image.width + x) * 4;
    return (data[i + c]! * data[i + 3]!) / 255;
  };
  for (let y = 0; y < height; y++) {
    const sy = Math.min(image.height - 1, Math.max(0, (y + 0.5) * scaleY - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(image.height - 1, y0 + 1);
    const fy = sy - y0;
    for (let x = 0; x < width; x++) {
      const sx = Math.min(image.width - 1, Math.max(0, (x + 0.5) * scaleX - 0.5));
      const x0 = Math.floor(sx);
      const x1 = Math.min(image.width - 1, x0 + 1);
      const fx = sx - x0;
      const rgb = [0, 1, 2].map(
        (c) =>
          (sample(x0, y0, c) * (1 - fx) + sample(x1, y0, c) * fx) * (1 - fy) +
          (sample(x0, y1, c) * (1 - fx) + sample(x1, y1, c) * fx) * fy,
      ) as [number, number, number];
      const at = offset + (y * width + x) * channels;
      if (channels === 3) for (let c = 0; c < 3; c++) out[at + c] = Math.round(rgb[c]);
      else out[at] = Math.round(0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]);
    }
  }
}
