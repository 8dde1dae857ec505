import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import { z } from 'zod';
import { LANGUAGES } from '../../../shared/i18n/languages';
import { workbench } from '../api/workbench';
import { applyLanguage, systemLanguage } from '../i18n';
import { applyTheme } from '../theme/appearance';

const STORAGE_KEY = 'workbench.settings';

const settingsSchema = z.object({
  language: z.enum(['system', ...LANGUAGES]).catch('system'),
  theme: z.enum(['system', 'light', 'dark']).catch('system'),
});
export type Settings = z.infer<typeof settingsSchema>;

/** The remembered settings; anything unreadable (another version's, edited by hand) falls back to the system's. */
export function readSettings(storage: Pick<Storage, 'getItem'> | undefined): Settings {
  try {
    return settingsSchema.parse(JSON.parse(storage?.getItem(STORAGE_KEY) ?? '{}'));
  } catch {
    return settingsSchema.parse({});
  }
}

const storage = () => (typeof localStorage === 'undefined' ? undefined : localStorage);

/** Language and theme: the system's until the user picks one in Settings, then that one, remembered. */
export const useSettingsStore = defineStore('settings', () => {
  const remembered = readSettings(storage());
  const language = ref(remembered.language);
  const theme = ref(remembered.theme);

  const apply = () => {
    const shown = language.value === 'system' ? systemLanguage() : language.value;
    applyLanguage(shown);
    applyTheme(theme.value);
    // The desktop app's native menus follow the window's language; the browser host has none and says so quietly.
    void workbench.invoke('app:language', { language: shown }).catch(() => undefined);
  };
  apply();
  watch([language, theme], () => {
    apply();
    storage()?.setItem(STORAGE_KEY, JSON.stringify({ language: language.value, theme: theme.value }));
  });

  return { language, theme };
});
