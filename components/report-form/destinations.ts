/**
 * How the chosen organisations shape the form: what their discovery documents say they accept. These are the only
 * rules not in the report schema, because they depend on where the report goes, not on what it is.
 */
import { t } from '@/lib/i18n';
import type { ReportDetails } from '@/lib/report/details';
import type { FieldErrors } from '@/lib/report/validate';
import type { Endpoint } from '@/extension/settings';

/** The organisations among these that refuse anonymous reports. */
export function refusingAnonymous(destinations: readonly Endpoint[]): Endpoint[] {
  return destinations.filter((endpoint) => !endpoint.discovery.acceptsAnonymous);
}

/** The report is anonymous unless the person said otherwise: the same default `reportFromAnswers` uses. */
export function isAnonymous(details: ReportDetails): boolean {
  return details.reporter?.anonymous ?? true;
}

export function destinationErrors(details: ReportDetails, destinations: readonly Endpoint[]): FieldErrors {
  const refusing = refusingAnonymous(destinations);
  if (!isAnonymous(details) || refusing.length === 0) return {};
  return { 'reporter.anonymous': t('contact.anonymousRefused', { names: refusing.map((endpoint) => endpoint.discovery.name).join(', ') }) };
}
