/**
 * A cell or token shaded by a strength in 0..1: the theme's heat colour mixed into the background, and text that
 * switches to the colour drawn on heat once the shade is strong enough that the body text would lose its contrast.
 */
export function heatShade(strength: number): { background: string; color?: string } {
  const share = Math.round(Math.min(1, Math.max(0, strength)) * 100);
  const background = `color-mix(in srgb, var(--heat) ${share}%, transparent)`;
  return share >= 50 ? { background, color: 'var(--on-heat)' } : { background };
}
