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

/**
 * Whether the person's name, email, phone and access needs reach this organisation sealed to it: it published an
 * encryption key in the discovery document kept when it was added, the one the extension seals with when sending.
 */
export function sealsContact(endpoint: Endpoint): boolean {
  return endpoint.discovery.encryptionKey !== undefined;
}

/** The organisations among these that receive contact details sealed. */
export function sealing(destinations: readonly Endpoint[]): Endpoint[] {
  return destinations.filter(sealsContact);
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
