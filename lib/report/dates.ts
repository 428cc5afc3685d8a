/**
 * Dates in the form, the extension's and the widget's: a date input gives `YYYY-MM-DD`; the report wants an ISO 8601
 * UTC instant. A day is stored as its UTC midnight, which is honest about the precision the person gave.
 */
export function dayToInstant(day: string): string | undefined {
  return /^\d{4}-\d{2}-\d{2}$/.test(day) ? `${day}T00:00:00Z` : undefined;
}

export function instantToDay(instant: string | undefined): string {
  return instant?.slice(0, 10) ?? '';
}
