import { fileStem, offerDownload } from '../interaction/documentFiles';

/** Pixels per SVG unit of an exported PNG: 3x gives about 300 dpi at the figure's on-screen size in print. */
export const PNG_SCALE = 3;

/** An SVG document drawn onto a canvas at `scale`, as a PNG data: URL. */
export async function rasteriseSvg(svg: string, scale = PNG_SCALE): Promise<string> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(image.naturalWidth * scale);
    canvas.height = Math.ceil(image.naturalHeight * scale);
    const context = canvas.getContext('2d')!;
    context.scale(scale, scale);
    context.drawImage(image, 0, 0);
    return canvas.toDataURL('image/png');
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** What a view can be exported as: its SVG, and (where it draws better itself) its own PNG. */
export interface Figure {
  name: string;
  svg(): string;
  png?(): string;
}

/** Offers the figure as a download; returns the file name. */
export async function saveFigure(figure: Figure, format: 'png' | 'svg'): Promise<string> {
  const fileName = `${fileStem(figure.name)}.${format}`;
  if (format === 'svg') {
    const url = URL.createObjectURL(new Blob([figure.svg()], { type: 'image/svg+xml' }));
    offerDownload(fileName, url);
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } else {
    offerDownload(fileName, figure.png ? figure.png() : await rasteriseSvg(figure.svg()));
  }
  return fileName;
}
