import { MAX_PLAYGROUND_PIXELS, type Example } from '../../../shared/prediction';

/** Bytes to base64 in slices: String.fromCharCode(...bytes) of a whole image would overflow the call stack. */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * A picture file as the playground sends it: decoded by the browser, scaled down (aspect kept) to at most
 * MAX_PLAYGROUND_PIXELS, as RGBA bytes in base64; and a data URL to show it.
 */
export async function imageExample(file: Blob): Promise<{ preview: string; example: Example }> {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, Math.sqrt(MAX_PLAYGROUND_PIXELS / (bitmap.width * bitmap.height)));
  const width = Math.max(1, Math.floor(bitmap.width * scale));
  const height = Math.max(1, Math.floor(bitmap.height * scale));
  const canvas = document.createElement('canvas');
  [canvas.width, canvas.height] = [width, height];
  const context = canvas.getContext('2d')!;
  context.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  const pixels = context.getImageData(0, 0, width, height).data;
  return {
    preview: canvas.toDataURL('image/png'),
    example: { kind: 'image', width, height, rgba: toBase64(new Uint8Array(pixels.buffer)) },
  };
}
