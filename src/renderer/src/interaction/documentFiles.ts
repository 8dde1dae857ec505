import { toPng, toSvg } from 'html-to-image';
import type { ModelSpec } from '../../../shared/architecture/modelSpec';
import { themeColours } from '../theme/themeTokens';

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

const SVG_PAINT = ['fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'opacity', 'font-size', 'font-family'];

/**
 * The wires and their shape labels are SVG painted by the stylesheet (stroke, fill); the copy html-to-image draws
 * keeps computed styles of HTML elements but not of SVG children, which came out as invisible wires and black label
 * boxes. Their paint is written onto them as attributes for the picture, and taken off again after.
 */
function inlineSvgPaint(root: HTMLElement): () => void {
  const changed: [Element, string, string | null][] = [];
  for (const element of root.querySelectorAll('svg *')) {
    const style = getComputedStyle(element);
    for (const property of SVG_PAINT) {
      const value = style.getPropertyValue(property);
      if (!value) continue;
      changed.push([element, property, element.getAttribute(property)]);
      element.setAttribute(property, value);
    }
  }
  return () => {
    for (const [element, property, before] of changed) {
      if (before === null) element.removeAttribute(property);
      else element.setAttribute(property, before);
    }
  };
}

/** The canvas as drawn, as PNG (2x pixels) or SVG, offered as a download. */
export async function exportCanvasImage(canvas: HTMLElement, format: 'png' | 'svg', name: string): Promise<string> {
  const options = { backgroundColor: themeColours().background, filter: partOfPicture, skipFonts: true };
  const restore = inlineSvgPaint(canvas);
  let dataUrl: string;
  try {
    dataUrl = format === 'png' ? await toPng(canvas, { ...options, pixelRatio: 2 }) : await toSvg(canvas, options);
  } finally {
    restore();
  }
  const fileName = `${fileStem(name)}.${format}`;
  offerDownload(fileName, dataUrl);
  return fileName;
}
