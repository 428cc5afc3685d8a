/**
 * The widget's side of the i18n layer: the same `{name}` placeholders and `format` as `lib/i18n`, over the widget's
 * own small catalogue.
 */
import { format } from '@/lib/i18n/format';
import { widgetEn, type WidgetMessageKey } from './words-en';

export type { WidgetMessageKey };

export function t(key: WidgetMessageKey, values?: Record<string, string | number>): string {
  return format(widgetEn[key], values);
}

/** Bytes in the person's own units, e.g. "2.4 MB". */
export function sizeText(bytes: number): string {
  return bytes < 1e6 ? `${Math.ceil(bytes / 1e3)} KB` : `${(bytes / 1e6).toFixed(1)} MB`;
}
