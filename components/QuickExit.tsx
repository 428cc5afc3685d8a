import { useEffect } from 'preact/hooks';
import { t } from '@/lib/i18n';
import { DOUBLE_PRESS_MS } from '@/lib/quick-exit';

/**
 * Leaving quickly when someone walks in: a button always in the same place, and Esc twice. `onExit` replaces the
 * page (and its history entry) with a neutral one; nothing is asked or confirmed first. The one quick exit of every
 * extension page: the popup, the report form, the reports page, the settings, the welcome page and the privacy policy.
 */
export function QuickExit({ onExit }: { onExit(): void }) {
  useEffect(() => {
    let last = -Infinity;
    const listener = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') {
        last = -Infinity;
        return;
      }
      const now = event.timeStamp;
      if (now - last <= DOUBLE_PRESS_MS) onExit();
      last = now;
    };
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, [onExit]);
  return (
    <div class="quick-exit">
      <button type="button" class="exit" onClick={onExit} aria-describedby="quick-exit-hint">
        {t('quickExit.button')}
      </button>
      <p class="hint" id="quick-exit-hint">{t('quickExit.hint')}</p>
    </div>
  );
}
