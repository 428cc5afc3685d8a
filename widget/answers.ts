/**
 * The form's answers as one nested object addressed by dotted paths. The paths are the report's field paths
 * (`reporter.email`), which are also the inputs' ids, so the hub's 422 `fields` land on the right input.
 * The object has the shape of the shared `ReportDetails`, so `reportFromAnswers` builds the report from it.
 */
import type { ReportDetails } from '@/lib/report/details';

export type Answer = string | boolean | string[] | undefined;
export type Answers = ReportDetails & { incident?: { summary?: string } };

export function read(answers: Answers, path: string): Answer {
  let value: unknown = answers;
  for (const key of path.split('.')) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return value as Answer;
}

/** A copy of `answers` with one value changed; the objects on the way are copied, the rest shared. */
export function write(answers: Answers, path: string, value: Answer): Answers {
  const [key, ...rest] = path.split('.') as [string, ...string[]];
  const current = answers as Record<string, unknown>;
  const inner = rest.length ? write((current[key] ?? {}) as Answers, rest.join('.'), value) : value;
  return { ...current, [key]: inner } as Answers;
}
