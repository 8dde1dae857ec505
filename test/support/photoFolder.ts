import { link, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';

/** A 500x375 photo-like JPEG (smooth gradients, stripes, a little texture; quality 90, ~80 KB): the k-th of a set. */
export async function photoJpeg(k: number, width = 500, height = 375): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      raw[i] = ((x * 255) / width + k * 17) % 256;
      raw[i + 1] = ((y * 255) / height + ((x * 7 + y * 13 + k) % 40)) % 256;
      raw[i + 2] = 128 + 100 * Math.sin(x / (10 + (k % 20))) * Math.cos(y / 15);
    }
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** `distinct` photos written once under `root/originals`. */
export async function writeOriginals(root: string, distinct: number): Promise<string[]> {
  const folder = join(root, 'originals');
  await mkdir(folder, { recursive: true });
  const paths: string[] = [];
  for (let k = 0; k < distinct; k++) {
    const path = join(folder, `${k}.jpg`);
    await writeFile(path, await photoJpeg(k));
    paths.push(path);
  }
  return paths;
}

/**
 * An ImageFolder of `count` files in `classes` class folders, each file a hard link to one of the originals: a
 * folder of ImageNet's file count that costs the disk only its directory entries.
 */
export async function linkedImageFolder(
  folder: string,
  originals: string[],
  count: number,
  classes: number,
): Promise<void> {
  for (let c = 0; c < classes; c++) await mkdir(join(folder, `n${String(c).padStart(8, '0')}`), { recursive: true });
  const LINKS_AT_ONCE = 256;
  for (let start = 0; start < count; start += LINKS_AT_ONCE) {
    await Promise.all(
      Array.from({ length: Math.min(LINKS_AT_ONCE, count - start) }, (_, j) => {
        const i = start + j;
        return link(
          originals[i % originals.length]!,
          join(folder, `n${String(i % classes).padStart(8, '0')}`, `${i}.JPEG`),
        );
      }),
    );
  }
}
