/**
 * The police case-file form's choice to add the reporters' sealed contact details (issue 23), where any report chosen
 * has some that its reporter agreed to share with the police. The server renders the words, the unticked box and the
 * shared key fields; add-contact.ts, bundled for the browser, shows them and does the work. Without it the page says
 * in words that adding the details needs JavaScript, and the form still downloads the case file without them.
 *
 * What the script needs rides on the form's data attributes (Preact escapes them), as on the sealed-contact page: each
 * report's reference, the report body's id its block is bound to and the sealed block (ciphertext the hub holds and
 * already serves to moderators; report.json never carries it), where to record the file, and every word it shows.
 */
import type { ComponentChildren, VNode } from 'preact';
import { ct, ctn, type ConsoleKey } from '../../../lib/i18n/console';
import type { Sealed } from '../../../lib/schema';
import type { OwnAccess } from '../../domain/key-access';
import { href } from '../shared/links';
import { KEY_MESSAGES, OrgKeyFields } from '../shared/org-key-fields';
import { canAddSealedContact } from './case-file';
import type { HeldReport } from './sources';

/** The script's address (routes.tsx serves it). */
export const CONTACT_SCRIPT = `${href.referrals}/add-contact.js`;

/** One report whose sealed contact details may be added, as the script reads it from `data-sealed`. */
export interface SealedToAdd {
  reference: string;
  reportId: string;
  sealed: Sealed;
}

export function sealedToAdd(reports: readonly HeldReport[]): SealedToAdd[] {
  return reports.flatMap((held) =>
    canAddSealedContact(held.report) && held.report.reporter.sealed ? [{ reference: held.reference, reportId: held.report.id, sealed: held.report.reporter.sealed }] : [],
  );
}

/** The words the script shows, by the names add-contact.ts reads (`data-msg-<name>`). */
export const MESSAGES = {
  ...KEY_MESSAGES,
  'several-keys': 'referral.contact.severalKeys',
  'key-reports': 'referral.contact.keyReports',
  'not-opened': 'referral.contact.notOpened',
  'not-made': 'referral.contact.notMade',
  'not-recorded': 'referral.contact.notRecorded',
  working: 'referral.contact.working',
  done: 'referral.contact.done',
  note: 'referral.contact.note',
} as const satisfies Record<string, ConsoleKey>;

export type ContactMessage = keyof typeof MESSAGES;

interface Props {
  sealed: SealedToAdd[];
  /** The moderator's own key access (null: none), for the shared key fields. */
  access: OwnAccess | null | undefined;
  action: string;
  contactAction: string;
  /** The form's hidden fields (CSRF token, references). */
  children: ComponentChildren;
}

export function ContactChoice({ sealed, access, action, contactAction, children }: Props): VNode {
  const kids = [...new Set(sealed.map((entry) => entry.sealed.kid))];
  const words = Object.fromEntries(Object.entries(MESSAGES).map(([name, key]) => [`data-msg-${name}`, ct(key)]));
  const references = sealed.map((entry) => entry.reference).join(', ');
  return (
    <form method="post" action={action} id="case-file" data-sealed={JSON.stringify(sealed)} data-contact={contactAction} {...words}>
      {children}
      <div class="notice" data-contact-needs-script data-testid="contact-needs-script">
        <p>{ctn('referral.contact.needsScript', sealed.length, { references })}</p>
      </div>
      <div id="case-file-contact" hidden>
        <p>
          <input type="checkbox" id="add-contact" aria-describedby="add-contact-hint" />{' '}
          <label for="add-contact">{ct('referral.contact.choice')}</label>
          <br />
          <span class="hint" id="add-contact-hint">
            {ctn('referral.contact.hint', sealed.length, { references })}
          </span>
        </p>
        <div id="case-file-key" hidden>
          <p>{ct('referral.contact.stays')}</p>
          <OrgKeyFields access={access} kid={kids.length === 1 ? kids[0] : undefined} />
        </div>
      </div>
      <div id="case-file-problem" class="notice problem" role="alert" hidden />
      <div id="case-file-status" role="status" />
      <button type="submit">{ct('referral.policeButton')}</button>
    </form>
  );
}
