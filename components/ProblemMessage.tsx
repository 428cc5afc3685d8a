import { t } from '@/lib/i18n';
import type { Problem } from '@/extension/messages';

/** A problem in words, announced to screen readers, with the server's per-field details as text. */
export function ProblemMessage({ problem, id }: { problem: Problem; id?: string }) {
  return (
    <div role="alert" class="problem" id={id}>
      <p>{t(problem.key, problem.values)}</p>
      {problem.details && (
        <ul>
          {problem.details.map((detail) => (
            <li key={detail.path}>{t('error.fields', { field: detail.path, message: detail.message })}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
