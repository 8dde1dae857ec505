import { pickLanguage, type Language } from '../../../shared/i18n/languages';
import { createWorkbenchI18n } from '../../../shared/i18n/translator';

/**
 * The renderer's translations. Components import `t` from here rather than calling useI18n(), so a component mounted
 * on its own (a unit test) translates without the plugin; `t` reads the locale ref, so templates re-render when the
 * language switches.
 */
export const i18n = createWorkbenchI18n('en');

export const { t } = i18n.global;

/** The system's language as the browser reports it. */
export const systemLanguage = (): Language =>
  pickLanguage(typeof navigator === 'undefined' ? [] : [...(navigator.languages ?? []), navigator.language ?? '']);

export function applyLanguage(language: Language): void {
  i18n.global.locale.value = language;
  if (typeof document !== 'undefined') document.documentElement.lang = language;
}

/** A number in the shown language's digits grouping: 79,555 and 1.004. */
export function formatNumber(value: number, digits?: { min?: number; max?: number }): string {
  return value.toLocaleString(i18n.global.locale.value, {
    minimumFractionDigits: digits?.min,
    maximumFractionDigits: digits?.max ?? 3,
  });
}
