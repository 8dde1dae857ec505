import type { Sharp, SharpOptions } from 'sharp';
import { MAX_PIXELS_PER_IMAGE } from '../imageBudget';
import type { ImageTarget } from './imageTarget';

type SharpFactory = (input: Uint8Array, options: SharpOptions) => Sharp;
type SharpModule = SharpFactory & { concurrency(n: number): void; cache(enabled: boolean): void };

/**
 * sharp (libvips), loaded when first needed: its native binary ships in an npm package for each platform, and where
 * none loads the import says why and decodes with jpeg-js/pngjs instead.
 */
export async function loadSharp(
  importSharp: () => Promise<unknown> = () => import('sharp'),
): Promise<{ sharp: SharpFactory } | { unavailable: string }> {
  try {
    const module = (await importSharp()) as { default: SharpModule };
    // One libvips thread per image: the pool runs one image per worker thread, one worker per core.
    module.default.concurrency(1);
    // Every image is decoded once: libvips' operation cache would only hold memory and its lock.
    module.default.cache(false);
    return { sharp: module.default };
  } catch (error) {
    return { unavailable: error instanceof Error ? error.message.split('\n')[0]! : String(error) };
  }
}

/**
 * Any image libvips reads (JPEG, PNG, WebP, GIF, TIFF, AVIF) to `target`: EXIF orientation applied, shrunk while
 * loading where the format allows (JPEG decodes at 1/2, 1/4 or 1/8 scale), then resized to exactly height x width
 * (the aspect ratio is not kept, as the other importers do), alpha composited on black, CMYK, 16-bit, palette and
 * grey images brought to 8-bit sRGB or to 8-bit grey. `limitInputPixels` refuses a decompression bomb from its
 * header, before any pixel is decoded.
 */
export async function decodeWithSharp(
  sharp: SharpFactory,
  bytes: Uint8Array,
  target: ImageTarget,
): Promise<Uint8Array> {
  const { data, info } = await sharp(bytes, { limitInputPixels: MAX_PIXELS_PER_IMAGE, failOn: 'error', pages: 1 })
    .rotate()
    .resize(target.width, target.height, { fit: 'fill' })
    .flatten({ background: '#000000' })
    .toColourspace(target.channels === 3 ? 'srgb' : 'b-w')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  if (info.width !== target.width || info.height !== target.height || info.channels !== target.channels)
    throw new Error(
      `decoded to ${info.width}x${info.height}x${info.channels}, not ${target.width}x${target.height}x${target.channels}`,
    );
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
