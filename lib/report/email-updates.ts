/**
 * The extension's "email me when my report changes" (consents.emailUpdates). Kept out of `from-answers.ts`, which the
 * widget bundles: the widget does not ask (its 15 KB budget has no room for the question), so it pays nothing for it.
 */
import type { Report } from '../schema';
import type { ReporterAnswers } from './details';

/** `report` with `consents.emailUpdates` set when the person ticked it and gave an address to write to. */
export function withEmailUpdates(report: Report, answers: ReporterAnswers | undefined): Report {
  const { reporter } = report;
  if (!answers?.consents?.emailUpdates || reporter.anonymous || !reporter.email) return report;
  return { ...report, reporter: { ...reporter, consents: { ...reporter.consents, emailUpdates: true } } };
}
