import { computed } from 'vue';
import { activeTheme } from './appearance';
import { themeColours } from './themeTokens';

/** The shown theme's colours, read again whenever the theme switches. */
export function useThemeColours() {
  return computed(() => themeColours(activeTheme.value));
}
