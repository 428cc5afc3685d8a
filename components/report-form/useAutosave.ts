import { useEffect, useRef } from 'preact/hooks';

/** How long typing must pause before the answers are written: often enough to lose nothing, rarely enough to be cheap. */
const DEBOUNCE_MS = 400;

/**
 * Saves as the person types: `schedule` after each change, `flush` before leaving a step or sending, and on
 * `pagehide` or unmount so closing the tab mid-sentence keeps the sentence.
 */
export function useAutosave(save: () => Promise<void>): { schedule(): void; flush(): Promise<void> } {
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const pending = useRef(false);
  const saveRef = useRef(save);
  saveRef.current = save;
  const flush = async () => {
    clearTimeout(timer.current);
    if (!pending.current) return;
    pending.current = false;
    await saveRef.current();
  };
  const schedule = () => {
    pending.current = true;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void flush(), DEBOUNCE_MS);
  };
  useEffect(() => {
    const onHide = () => void flush();
    addEventListener('pagehide', onHide);
    return () => {
      removeEventListener('pagehide', onHide);
      void flush();
    };
  }, []);
  return { schedule, flush };
}
