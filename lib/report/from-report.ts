/**
 * The way back from a report to the form's answers, for an evidence pack opened on this computer: the person can
 * read, change and send it from here. The inverse of `reportFromAnswers` for everything the form asks.
 */
import type { Report } from '../schema';
import type { ReportDetails } from './details';

export function detailsFromReport(report: Report): ReportDetails {
  const { consents, contact, ...reporter } = report.reporter;
  const { summary: _summary, priorActions, ...incident } = report.incident;
  return {
    urgency: { ...report.urgency },
    reporter: { ...reporter, contact: { ...contact }, consents: { ...consents } },
    incident: {
      ...incident,
      ...(priorActions ? { priorActions, reportedToPlatform: priorActions.reportedToPlatform !== undefined } : {}),
    },
    ...(report.grounds ? { grounds: { explanation: report.grounds.explanation, goodFaithAt: report.grounds.goodFaith.at } } : {}),
  };
}
