/**
 * Checks answers exactly as the hub will: by building the report and running the schema over it. The form shows
 * the schema's own messages next to the inputs whose ids are the issues' dotted paths (`reporter.email`), so a
 * rule is written once, in `lib/schema`.
 */
import { Report } from '../schema';
import { reportFromAnswers, type ClientInfo, type ReportAnswers } from './from-answers';

/** Dotted field path → the first message the schema gave for it. */
export type FieldErrors = Record<string, string>;

export function reportErrors(answers: ReportAnswers, client: ClientInfo): FieldErrors {
  const parsed = Report.safeParse(reportFromAnswers(answers, client));
  if (parsed.success) return {};
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const path = issue.path.join('.') || 'report';
    errors[path] ??= issue.message;
  }
  return errors;
}

/** The errors that belong to one step: those whose path starts with one of the step's prefixes. */
export function errorsFor(errors: FieldErrors, prefixes: readonly string[]): FieldErrors {
  return Object.fromEntries(
    Object.entries(errors).filter(([path]) => prefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}.`))),
  );
}
