import { toPng, toSvg } from 'html-to-image';
import type { ModelSpec } from '../../../shared/spec/modelSpec';

/** "Transformer encoder classifier" -> "transformer-encoder-classifier". */
export function fileStem(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'architecture'
  );
}

/**
 * Hands a file to the user the way a page does, through a download: the browser saves it, and Electron asks where
 * with its save dialog. Nothing goes through main, so both transports behave alike.
 */
export function offerDownload(fileName: string, href: string): void {
  const link = document.createElement('a');
  link.href = href;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
}

export function saveSpecFile(spec: ModelSpec): string {
  const fileName = `${fileStem(spec.name)}.json`;
  const url = URL.createObjectURL(new Blob([`${JSON.stringify(spec, null, 2)}\n`], { type: 'application/json' }));
  offerDownload(fileName, url);
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return fileName;
}

// The minimap and the zoom buttons are tools, not part of the picture.
const partOfPicture = (node: HTMLElement) =>
  !node.classList?.contains('vue-flow__minimap') && !node.classList?.contains('vue-flow__controls');

/** The canvas as drawn, as PNG (2x pixels) or SVG, offered as a download. */
export async function exportCanvasImage(canvas: HTMLElement, format: 'png' | 'svg', name: string): Promise<string> {
  const options = { backgroundColor: '#0b1222', filter: partOfPicture, skipFonts: true };
  const dataUrl = format === 'png' ? await toPng(canvas, { ...options, pixelRatio: 2 }) : await toSvg(canvas, options);
  const fileName = `${fileStem(name)}.${format}`;
  offerDownload(fileName, dataUrl);
  return fileName;
}
