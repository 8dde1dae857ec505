import { themeColours } from '../theme/themeTokens';

/** The colours of a figure: the light theme's tokens, because a figure goes on white paper whatever the app shows. */
export interface PaperColours {
  page: string;
  ink: string;
  muted: string;
  /** The empty part of a bar. */
  track: string;
  /** Bars and token highlights. */
  bar: string;
  /** Text drawn on a dark cell or a strong bar. */
  onDark: string;
}

/**
 * Read once per figure: each call probes the light theme's computed style. Without a DOM (unit tests, a worker) the
 * theme cannot be read; CSS colour keywords stand in so that a figure is still complete.
 */
export function paperColours(): PaperColours {
  const light = themeColours('light');
  return {
    page: light.surface || 'white',
    ink: light.ink || 'black',
    muted: light.muted || 'dimgray',
    track: light.track || 'gainsboro',
    bar: light.accent || 'steelblue',
    onDark: light.surface || 'white',
  };
}
