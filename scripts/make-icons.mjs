// Draws the app icon (an attention map: a 5 x 5 grid of softmax weights, bright on and beside the diagonal, on a
// dark rounded square) and writes what the app ships in resources/: icon.png for the window, and the packaging
// icons icons/<size>.png, icon.ico (Windows) and icon.icns (macOS), both of which hold PNGs.
// Run with `node scripts/make-icons.mjs`; the outputs are committed, so the app needs nothing at run time.
import { mkdirSync, writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';

const out = new URL('../resources/', import.meta.url);
const GRID = 5;
// Row-wise softmax of a score that falls with distance from the diagonal: what a head attending nearby looks like.
const weights = Array.from({ length: GRID }, (_, q) => {
  const scores = Array.from({ length: GRID }, (_, k) => -1.6 * Math.abs(q - k) + (k === 0 ? 0.6 : 0));
  const total = scores.reduce((sum, s) => sum + Math.exp(s), 0);
  return scores.map((s) => Math.exp(s) / total);
});
// viridis-like ramp from deep blue to yellow.
const RAMP = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];
const colour = (t) => {
  const x = Math.min(0.999, Math.max(0, t)) * (RAMP.length - 1);
  const [a, b] = [RAMP[Math.floor(x)], RAMP[Math.floor(x) + 1]];
  return a.map((v, i) => v + (b[i] - v) * (x - Math.floor(x)));
};

/** The colour and coverage of the point (u, v) in [0, 1]^2. */
function shade(u, v) {
  const radius = 0.2;
  const dx = Math.max(radius - u, 0, u - (1 - radius));
  const dy = Math.max(radius - v, 0, v - (1 - radius));
  if (dx * dx + dy * dy > radius * radius) return null;
  const [margin, gap] = [0.16, 0.025];
  const cell = (1 - 2 * margin) / GRID;
  const [gx, gy] = [(u - margin) / cell, (v - margin) / cell];
  const inCell = gx >= 0 && gy >= 0 && gx < GRID && gy < GRID && gx % 1 > gap / cell && gy % 1 > gap / cell;
  if (!inCell) return [22, 27, 38];
  const w = weights[Math.floor(gy)][Math.floor(gx)];
  return colour(w / 0.75);
}

function render(size) {
  const png = new PNG({ width: size, height: size });
  const samples = 4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let [r, g, b, a] = [0, 0, 0, 0];
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const c = shade((x + (sx + 0.5) / samples) / size, (y + (sy + 0.5) / samples) / size);
          if (!c) continue;
          [r, g, b, a] = [r + c[0], g + c[1], b + c[2], a + 1];
        }
      }
      const i = (y * size + x) * 4;
      png.data[i] = a ? Math.round(r / a) : 0;
      png.data[i + 1] = a ? Math.round(g / a) : 0;
      png.data[i + 2] = a ? Math.round(b / a) : 0;
      png.data[i + 3] = Math.round((255 * a) / (samples * samples));
    }
  }
  return PNG.sync.write(png);
}

/** ICO: a directory of entries, each a PNG (allowed since Windows Vista). */
function ico(images) {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, data }, i) => {
    const at = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, at);
    header.writeUInt8(size >= 256 ? 0 : size, at + 1);
    header.writeUInt16LE(1, at + 4);
    header.writeUInt16LE(32, at + 6);
    header.writeUInt32LE(data.length, at + 8);
    header.writeUInt32LE(offset, at + 12);
    offset += data.length;
  });
  return Buffer.concat([header, ...images.map((image) => image.data)]);
}

/** ICNS: 'icns', the total length, then typed PNG chunks (ic07 128, ic08 256, ic09 512, ic10 1024). */
function icns(images) {
  const chunks = images.map(({ type, data }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(data.length + 8, 4);
    return Buffer.concat([head, data]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + chunks.reduce((sum, c) => sum + c.length, 0), 4);
  return Buffer.concat([head, ...chunks]);
}

mkdirSync(new URL('icons/', out), { recursive: true });
const sizes = [16, 32, 48, 64, 128, 256, 512, 1024];
const rendered = Object.fromEntries(sizes.map((size) => [size, render(size)]));
for (const size of sizes) writeFileSync(new URL(`icons/${size}.png`, out), rendered[size]);
writeFileSync(new URL('icon.png', out), rendered[512]);
writeFileSync(
  new URL('icon.ico', out),
  ico([16, 32, 48, 64, 128, 256].map((size) => ({ size, data: rendered[size] }))),
);
writeFileSync(
  new URL('icon.icns', out),
  icns(
    [
      ['ic07', 128],
      ['ic08', 256],
      ['ic09', 512],
      ['ic10', 1024],
    ].map(([type, size]) => ({ type, data: rendered[size] })),
  ),
);
console.log(`wrote resources/icon.png, icon.ico, icon.icns and icons/{${sizes.join(',')}}.png`);
