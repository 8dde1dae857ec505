import { describe, expect, it } from 'vitest';
import { READABLE_ZOOM, readableViewport } from '../../../src/renderer/src/editor/readableZoom';

describe('a long graph opened at a readable zoom', () => {
  it("puts the graph's top edge 24 px under the canvas's and centres it across", () => {
    const bounds = { x: 100, y: 40, width: 200, height: 3000 };
    const view = readableViewport(bounds, 800);
    expect(view.zoom).toBe(READABLE_ZOOM);
    // Screen position = flow position × zoom + offset.
    expect(bounds.y * view.zoom + view.y).toBeCloseTo(24);
    expect((bounds.x + bounds.width / 2) * view.zoom + view.x).toBeCloseTo(400);
  });
});
