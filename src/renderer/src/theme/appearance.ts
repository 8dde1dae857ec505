import { ref } from 'vue';

export type ThemeName = 'light' | 'dark';
export type ThemeChoice = ThemeName | 'system';

/** The theme shown now: the user's choice, or the system's while the choice is 'system'. */
export const activeTheme = ref<ThemeName>('dark');

const systemQuery = () => (typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: light)') : null);

export const systemTheme = (): ThemeName => (systemQuery()?.matches ? 'light' : 'dark');

let following: ThemeChoice = 'system';
let listening = false;

/** Shows a theme: `data-theme` on <html> switches every custom property of theme.css at once. */
export function applyTheme(choice: ThemeChoice): void {
  following = choice;
  const shown = choice === 'system' ? systemTheme() : choice;
  if (typeof document !== 'undefined') document.documentElement.dataset['theme'] = shown;
  activeTheme.value = shown;
  // The system can switch while the app is open (a scheduled dark mode); follow it while the choice is 'system'.
  const query = systemQuery();
  if (!listening && query) {
    listening = true;
    query.addEventListener('change', () => {
      if (following === 'system') applyTheme('system');
    });
  }
}
