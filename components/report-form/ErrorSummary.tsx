import { useEffect, useRef } from 'preact/hooks';
import { t } from '@/lib/i18n';
import type { FieldErrors } from '@/lib/report/validate';

/** The step's problems at the top, focused when they appear, each a link to its field. */
export function ErrorSummary({ errors }: { errors: FieldErrors }) {
  const ref = useRef<HTMLDivElement>(null);
  const entries = Object.entries(errors);
  useEffect(() => ref.current?.focus(), [entries.length > 0]);
  if (entries.length === 0) return null;
  return (
    <div class="error-summary" role="alert" tabIndex={-1} ref={ref} data-testid="error-summary">
      <p>{t('form.errorSummary')}</p>
      <ul>
        {entries.map(([path, message]) => (
          <li key={path}>
            <a
              href={`#${path}`}
              onClick={(event) => {
                event.preventDefault();
                focusField(path);
              }}
            >
              {message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Focuses the input for a path; for a group of choices, its first choice. */
export function focusField(path: string): void {
  const target = document.getElementById(path);
  const input = target?.matches('fieldset, ol') ? target.querySelector<HTMLElement>('input, button') : target;
  input?.focus();
}
