/**
 * A cell or token shaded by a strength in 0..1: the theme's heat colour mixed into the background. The body text
 * stays readable on every mix (theme.css chooses --heat so), so the text colour never has to switch.
 */
export function heatShade(strength: number): { background: string } {
  const share = Math.round(Math.min(1, Math.max(0, strength)) * 100);
  return { background: `color-mix(in srgb, var(--heat) ${share}%, transparent)` };
}
