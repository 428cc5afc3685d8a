/**
 * What the report view shows where contact details are sealed to the organisation (issue 23): that they are, in
 * words, and the way to the page that opens them in the moderator's browser (hub/console/sealed). Shared, so the
 * report feature renders it without importing the sealed feature.
 */
import type { VNode } from 'preact';
import { ct } from '../../../lib/i18n/console';
import type { Sealed } from '../../../lib/schema';
import { sealedContactHref } from './links';

export function SealedContact({ reference }: { reference: string; sealed: Sealed }): VNode {
  return (
    <div data-testid="contact-sealed">
      <p>{ct('sealed.summary')}</p>
      <p>
        <a href={sealedContactHref(reference)}>{ct('sealed.open')}</a>
      </p>
    </div>
  );
}
