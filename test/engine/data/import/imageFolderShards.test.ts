import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs/promises';
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { ImportCancelledError } from '../../../../src/engine/data/import/datasetFileError';
import { importImageFolder } from '../../../../src/engine/data/import/imageFolder';
import { loadDecoder } from '../../../../src/engine/data/import/decoding/decodeRecord';
import type { ImportProgress } from '../../../../src/engine/data/import/importProgress';
import { DatasetLibrary } from '../../../../src/engine/data/library/datasetLibrary';
import { importOptionsSchema } from '../../../../src/shared/datasetImport';
import { importFolderPixels } from '../../../support/imageFolderImport';
import { linkedImageFolder, photoJpeg } from '../../../support/photoFolder';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'image-shards-'));
});

/** 16 x 8: the left half red, the right half blue, or `alpha` 0 on the right. */
function halves(alpha = false) {
  const [w, h, c] = [16, 8, alpha ? 4 : 3] as const;
  const raw = Buffer.alloc(w * h * c);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * c;
      if (x < 8) raw[i] = 230;
      else raw[i + 2] = 230;
      if (alpha) raw[i + 3] = x < 8 ? 255 : 0;
    }
  return sharp(raw, { raw: { width: w, height: h, channels: c } });
}

/** A folder of `count` hard links of one photo in two classes: a big folder that costs no disk. */
async function linkedFolder(name: string, count: number, bytes: Buffer): Promise<string> {
  const original = join(root, `${name}.jpg`);
  await writeFile(original, bytes);
  await linkedImageFolder(join(root, name), [original], count, 2);
  return join(root, name);
}

const rgbAt = (pixels: Uint8Array, width: number, image: number, y: number, x: number) => {
  const i = image * width * width * 3 + (y * width + x) * 3;
  return [pixels[i]!, pixels[i + 1]!, pixels[i + 2]!];
};

describe('image folders through sharp', () => {
  it('decodes with jpeg-js and pngjs where sharp cannot load, and says so', async () => {
    const decoder = await loadDecoder(() =>
      Promise.reject(new Error('Could not load the "sharp" module using the linux-x64 runtime')),
    );
    expect(decoder.name).toBe('jpeg-js/pngjs');
    expect(decoder.note).toMatch(
      /^sharp could not be loaded \(Could not load the "sharp" module .*\): images were decoded by jpeg-js and pngjs/,
    );
    const target = { height: 4, width: 4, channels: 3 } as const;
    // The plain PNG decodes (left half red), a WebP does not: the fallback reads PNG and JPEG only.
    const record = await decoder.decode(await halves().png().toBuffer(), target);
    expect([...record.subarray(0, 3)]).toEqual([230, 0, 0]);
    await expect(decoder.decode(await halves().webp().toBuffer(), target)).rejects.toThrow(/neither a PNG nor a JPEG/);
    expect((await loadDecoder()).name).toBe('sharp');
  });

  it('applies EXIF orientation and brings CMYK, 16-bit, palette, alpha and grey images to 8-bit sRGB', async () => {
    const folder = join(root, 'formats');
    await mkdir(join(folder, 'all'), { recursive: true });
    const files: [string, Promise<Buffer>][] = [
      ['a-plain.png', halves().png().toBuffer()],
      // Orientation 6: shown turned 90 degrees clockwise, so the left half (red) is on top.
      ['b-exif.jpg', halves().jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer()],
      ['c-cmyk.jpg', halves().toColourspace('cmyk').jpeg({ quality: 95 }).toBuffer()],
      ['d-16bit.png', halves().toColourspace('rgb16').png().toBuffer()],
      ['e-palette.png', halves().png({ palette: true, colours: 4 }).toBuffer()],
      ['f-alpha.png', halves(true).png().toBuffer()],
      ['g-grey.png', halves().toColourspace('b-w').png().toBuffer()],
    ];
    for (const [name, bytes] of files) await writeFile(join(folder, 'all', name), await bytes);
    // A JPEG cut short, as an interrupted copy leaves it: skipped, with libvips' reason.
    const whole = await photoJpeg(1, 120, 90);
    await writeFile(join(folder, 'all', 'h-truncated.jpg'), whole.subarray(0, whole.length >> 1));
    const data = await importFolderPixels(folder, { height: 8, width: 8, channels: 3 });
    expect(data.skipped).toEqual([
      { file: join('all', 'h-truncated.jpg'), reason: expect.stringMatching(/premature end/i) },
    ]);
    expect(data.labels.length).toBe(7);
    // Folder order is the file system's: find each image by its decoded pattern instead of by index.
    const images = Array.from({ length: 7 }, (_, i) => ({
      topLeft: rgbAt(data.pixels, 8, i, 1, 1),
      topRight: rgbAt(data.pixels, 8, i, 1, 6),
      bottomLeft: rgbAt(data.pixels, 8, i, 6, 1),
    }));
    // Dominance, not exact values: CMYK goes through its colour profile, which moves pure colours a little.
    const red = ([r, g, b]: number[]) => r! > 180 && r! > 3 * g! && r! > 3 * b!;
    const blue = ([r, g, b]: number[]) => b! > 120 && b! > 2 * r! && b! > 2 * g!;
    const black = ([r, g, b]: number[]) => r! + g! + b! < 10;
    const grey = ([r, g, b]: number[]) => r === g && g === b && r! > 20;
    // Left red, right blue: the plain, CMYK, 16-bit and palette images.
    expect(images.filter((p) => red(p.topLeft) && blue(p.topRight))).toHaveLength(4);
    // Turned by its EXIF orientation: red on top, blue below.
    expect(images.filter((p) => red(p.topLeft) && red(p.topRight) && blue(p.bottomLeft))).toHaveLength(1);
    // The transparent half on black.
    expect(images.filter((p) => red(p.topLeft) && black(p.topRight))).toHaveLength(1);
    // Grey stays grey in three equal channels.
    expect(images.filter((p) => grey(p.topLeft) && grey(p.topRight))).toHaveLength(1);
    // One channel: the luminance (CIE Y, in linear light, back to sRGB) of the red and of the blue half.
    const toLinear = (v: number) => ((v / 255 + 0.055) / 1.055) ** 2.4;
    const toSrgb = (y: number) => Math.round((1.055 * y ** (1 / 2.4) - 0.055) * 255);
    const [redY, blueY] = [toSrgb(0.2126 * toLinear(230)), toSrgb(0.0722 * toLinear(230))];
    const luma = await importFolderPixels(folder, { height: 8, width: 8, channels: 1 });
    const plain = Array.from({ length: 7 }, (_, i) => [luma.pixels[i * 64 + 9]!, luma.pixels[i * 64 + 14]!]);
    expect(
      plain.filter(([l, r]) => Math.abs(l! - redY) <= 3 && Math.abs(r! - blueY) <= 3).length,
    ).toBeGreaterThanOrEqual(3);
  }, 30_000);

  it('stops every decode process and keeps nothing when cancelled mid-import', async () => {
    const folder = await linkedFolder('cancel', 2000, await photoJpeg(0));
    const controller = new AbortController();
    const progress: ImportProgress[] = [];
    const out = await mkdtemp(join(root, 'cancel-out-'));
    const library = new DatasetLibrary({ cacheDir: join(root, 'cache'), datasetsDir: join(root, 'cancel-datasets') });
    const importing = library.import(folder, importOptionsSchema.parse({ format: 'image-folder' }), {
      signal: controller.signal,
      onProgress: (p) => {
        progress.push(p);
        if (p.phase === 'decoding images' && p.done >= 64) controller.abort();
      },
    });
    await expect(importing).rejects.toBeInstanceOf(ImportCancelledError);
    const decodedAtAbort = progress.at(-1)!.done;
    expect(decodedAtAbort).toBeLessThan(2000);
    // Progress carried a rate and an ETA while decoding.
    const decoding = progress.filter((p) => p.phase === 'decoding images');
    expect(decoding.at(-1)!.rate).toBeGreaterThan(0);
    expect(decoding.at(-1)!.etaSeconds).toBeGreaterThan(0);
    // Nothing is left of the import: no dataset, no temporary folder.
    expect(await readdir(join(root, 'cancel-datasets'))).toEqual([]);
    expect(await library.list()).toEqual((await library.list()).filter((d) => d.origin !== 'imported'));
    expect(await readdir(out)).toEqual([]);
  }, 60_000);

  it("removes the temporary folder of an import whose process is gone, and keeps a live one's", async () => {
    const datasets = join(root, 'sweep-datasets');
    const gone = spawnSync('true').pid!; // exited: its pid names no process now
    for (const pid of [gone, process.pid]) {
      await mkdir(join(datasets, `imported-photos-abc123.${pid}-deadbeef.tmp`), { recursive: true });
      await writeFile(
        join(datasets, `imported-photos-abc123.${pid}-deadbeef.tmp`, 'shard-00000.bin'),
        new Uint8Array(64),
      );
    }
    await new DatasetLibrary({ cacheDir: join(root, 'cache'), datasetsDir: datasets }).list();
    expect(await readdir(datasets)).toEqual([`imported-photos-abc123.${process.pid}-deadbeef.tmp`]);
  });

  it('ends cleanly when the disk is full, naming it, with nothing kept', async () => {
    const folder = await linkedFolder('full', 200, await photoJpeg(0, 64, 48));
    const out = await mkdtemp(join(root, 'full-out-'));
    // A file system whose shard files take 40 records (40 * 3072 bytes), then fail as a full disk does.
    let written = 0;
    const full: Pick<typeof fs, 'open'> = {
      open: (async (path: string, flags: string) => {
        const handle = await fs.open(path, flags);
        const write = handle.write.bind(handle);
        handle.write = (async (bytes: Uint8Array) => {
          written += bytes.length;
          if (written > 40 * 3072)
            throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
          return write(bytes);
        }) as typeof handle.write;
        return handle;
      }) as typeof fs.open,
    };
    await expect(
      importImageFolder(folder, out, { height: 32, width: 32, channels: 3 }, {}, { workers: 2 }, full),
    ).rejects.toThrow(/full: the disk is full after \d+ images; nothing of this import was kept/);
  }, 60_000);

  it('holds as many chunks in flight for 2,000 images as for 200: memory does not grow with the count', async () => {
    const bytes = await photoJpeg(0, 120, 90);
    const small = await importFolderPixels(await linkedFolder('count-200', 200, bytes), {
      height: 16,
      width: 16,
      channels: 3,
    });
    const large = await importFolderPixels(await linkedFolder('count-2000', 2000, bytes), {
      height: 16,
      width: 16,
      channels: 3,
    });
    expect([small.labels.length, large.labels.length]).toEqual([200, 2000]);
    // Two decode processes, two chunks each: the bound is the pool's, not the folder's.
    expect(small.peakChunksInFlight).toBe(4);
    expect(large.peakChunksInFlight).toBe(4);
    // Every record is the same image decoded the same way.
    expect(large.pixels.subarray(1999 * 768, 2000 * 768)).toEqual(small.pixels.subarray(0, 768));
  }, 120_000);
});
