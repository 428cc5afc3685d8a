/**
 * Checks answers exactly as the hub will: by building the report and running the schema over it. The form shows
 * the schema's own messages next to the inputs whose ids are the issues' dotted paths (`reporter.email`), so a
 * rule is written once, in `lib/schema`.
 */
import { Report } from '../schema';
import { reportFromAnswers, type ClientInfo, type ReportAnswers } from './from-answers';

/** Dotted field path → the first message the schema gave for it. */
export type FieldErrors = Record<string, string>;

/** Words a form may put in place of the schema's own, in the person's language. */
export interface ErrorWords {
  /** A text `over` characters longer than its cap of `max`. */
  tooLong(over: number, max: number): string;
}

export function reportErrors(answers: ReportAnswers, client: ClientInfo, words?: ErrorWords): FieldErrors {
  const report = reportFromAnswers(answers, client);
  const parsed = Report.safeParse(report);
  if (parsed.success) return {};
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const path = issue.path.join('.') || 'report';
    errors[path] ??= (words && tooLongBy(report, issue, words)) || issue.message;
  }
  return errors;
}

/** For a text over its cap: how far over it is, from the text itself (the issue carries only the cap). */
function tooLongBy(report: unknown, issue: { code: string; path: PropertyKey[]; origin?: string; maximum?: unknown }, words: ErrorWords): string | undefined {
  if (issue.code !== 'too_big' || issue.origin !== 'string' || typeof issue.maximum !== 'number') return undefined;
  const value = issue.path.reduce<unknown>((at, key) => (at as Record<PropertyKey, unknown> | undefined)?.[key], report);
  return typeof value === 'string' ? words.tooLong(value.length - issue.maximum, issue.maximum) : undefined;
}

/** The errors that belong to one step: those whose path starts with one of the step's prefixes. */
export function errorsFor(errors: FieldErrors, prefixes: readonly string[]): FieldErrors {
  return Object.fromEntries(
    Object.entries(errors).filter(([path]) => prefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}.`))),
  );
}
