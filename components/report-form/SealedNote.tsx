/**
 * Where the person gives contact details, and on the check step: which chosen organisations receive them locked on
 * this device (sealed to the key each publishes) and which receive them as typed. Nothing is said when none seals:
 * the details then go as any form sends them, under the organisation's privacy policy (linked where it was added), and
 * a line saying so on its own would read as a warning the person can act on only by giving nothing.
 */
import { currentLanguage, t } from '@/lib/i18n';
import type { Endpoint } from '@/extension/settings';
import { sealing, sealsContact } from './destinations';

/** "A, B and C" in the page's language. */
function names(endpoints: readonly Endpoint[]): string {
  return new Intl.ListFormat(currentLanguage(), { type: 'conjunction' }).format(endpoints.map((endpoint) => endpoint.discovery.name));
}

/** Inset text; `emailUpdates` adds that the address for updates stays readable (the hub writes to it). */
export function SealedNote({ destinations, emailUpdates = false }: { destinations: readonly Endpoint[]; emailUpdates?: boolean }) {
  const locked = sealing(destinations);
  if (locked.length === 0) return null;
  const plain = destinations.filter((endpoint) => !sealsContact(endpoint));
  return (
    <div class="note sealed-note" role="status" data-testid="sealed-note">
      <p>{t('contact.sealed', { organisations: names(locked) })}</p>
      {plain.length > 0 && <p>{t('contact.notSealed', { organisations: names(plain) })}</p>}
      {emailUpdates && <p>{t('contact.sealedEmailUpdates')}</p>}
    </div>
  );
}
