/**
 * The page where a moderator opens a report's sealed contact details (issue 23). The server renders the words, the
 * form and the empty result; open.ts, bundled for the browser, does the opening. Without it the page says, in words,
 * why opening needs script: the key is opened on the moderator's computer and never reaches the hub.
 *
 * What the script needs rides on the form's data attributes (Preact escapes them): the sealed block, the report body's
 * id it is bound to, where to record the reveal, and the words of each outcome, so every word comes from the
 * console's catalogue. The key fields are the shared `OrgKeyFields`.
 */
import type { VNode } from 'preact';
import { ct } from '../../../lib/i18n/console';
import type { Sealed } from '../../../lib/schema';
import { ConsolePage, CsrfField, type SessionView } from '../shared/layout';
import { href, sealedContactHref } from '../shared/links';
import { KEY_MESSAGES, OrgKeyFields } from '../shared/org-key-fields';
import type { OwnAccess } from '../../domain/key-access';

/** The opener script's address (routes.tsx serves it). */
export const OPENER_SCRIPT = `${href.home}/sealed-open.js`;

/** Where the script records the reveal before it shows anything. */
export const revealHref = (reference: string): string => `${sealedContactHref(reference)}/revealed`;

/** The words the script shows, by the names open.ts reads (`data-msg-<name>`). */
export const MESSAGES = {
  ...KEY_MESSAGES,
  'not-opened': 'sealed.problem.notOpened',
  'not-recorded': 'sealed.problem.notRecorded',
  opening: 'sealed.opening',
  opened: 'sealed.opened',
  none: 'sealed.none',
} as const;

interface Props {
  session: SessionView;
  reference: string;
  reportId: string;
  sealed: Sealed;
  /** The moderator's own key and grants (null: none): with a grant for the key, their passphrase opens the details. */
  access?: OwnAccess | null;
}

export function SealedPage({ session, reference, reportId, sealed, access }: Props): VNode {
  const own = access?.grants.some((grant) => grant.orgKey.kid === sealed.kid) === true;
  const words = Object.fromEntries(Object.entries(MESSAGES).map(([name, key]) => [`data-msg-${name}`, ct(key)]));
  return (
    <ConsolePage title={ct('sealed.title', { reference })} session={session} current="queue" scripts={[OPENER_SCRIPT]}>
      <p>
        <a href={href.report(reference)}>{ct('sealed.back', { reference })}</a>
      </p>
      <p>{ct(own ? 'keyAccess.sealedIntro' : 'sealed.intro', { kid: sealed.kid })}</p>
      <p>{ct('sealed.stays')}</p>
      <p>{ct('sealed.audited')}</p>
      <div class="notice problem" data-sealed-needs-script data-testid="needs-script">
        <p>{ct('sealed.needsScript')}</p>
      </div>
      <form id="sealed-open" class="sealed-open" hidden data-sealed={JSON.stringify(sealed)} data-report-id={reportId} data-reveal={revealHref(reference)} {...words}>
        <CsrfField />
        <OrgKeyFields access={access} kid={sealed.kid} />
        <button type="submit">{ct('sealed.submit')}</button>
      </form>
      <div id="sealed-problem" class="notice problem" role="alert" hidden />
      <div id="sealed-status" role="status" />
      <section id="sealed-result" aria-labelledby="sealed-result-heading" hidden>
        <h2 id="sealed-result-heading" tabIndex={-1}>
          {ct('sealed.result')}
        </h2>
        <dl class="fields" data-testid="sealed-details">
          <dt>{ct('reporter.name')}</dt>
          <dd data-field="name" />
          <dt>{ct('reporter.email')}</dt>
          <dd data-field="email" />
          <dt>{ct('reporter.phone')}</dt>
          <dd data-field="phone" />
          <dt>{ct('reporter.accessNeeds')}</dt>
          <dd data-field="accessNeeds" />
        </dl>
      </section>
    </ConsolePage>
  );
}
