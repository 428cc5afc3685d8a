/**
 * The toolbar button's badge: how many captures the report being built holds, so a capture from the context menu
 * or the shortcut (which opens no window) is visibly kept; "!" when the last one failed.
 */
import { t } from '@/lib/i18n';
import type { Problem } from '../messages';

export interface Badge {
  text: string;
  title: string;
}

export function progressBadge(itemCount: number): Badge {
  return itemCount > 0 ? { text: String(itemCount), title: t('badge.building', { count: itemCount }) } : { text: '', title: t('popup.heading') };
}

export function failureBadge(problem: Problem): Badge {
  return { text: '!', title: t('badge.failed', { message: t(problem.key, problem.values) }) };
}
