// Matplotlib's viridis at 9 stops: perceptually uniform and readable by colour-blind users.
const STOPS: [number, number, number][] = [
  [68, 1, 84],
  [72, 40, 120],
  [62, 74, 137],
  [49, 104, 142],
  [38, 130, 142],
  [31, 158, 137],
  [53, 183, 121],
  [110, 206, 88],
  [253, 231, 37],
];

/** The colour of t in [0, 1] as [r, g, b] bytes, linearly interpolated between stops. */
export function viridis(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const [a, b] = [STOPS[i]!, STOPS[i + 1]!];
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

/** Viridis from 0 to 1 as a CSS gradient, left to right: the colour bars beside the heatmaps and overlays. */
export const VIRIDIS_GRADIENT = `linear-gradient(to right, ${[0, 0.25, 0.5, 0.75, 1].map((v) => `rgb(${viridis(v).join(',')})`).join(', ')})`;
