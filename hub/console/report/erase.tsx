/**
 * The admin's "erase this report" page: what goes and what stays, why (a closed list: free text would put words about
 * a person into the record of their erasure), and a confirmation the form cannot be sent without. No script: the
 * console's CSP forbids it, so the confirmation is this page itself and a required checkbox.
 */
import type { VNode } from 'preact';
import { ct, type ConsoleKey } from '../../../lib/i18n/console';
import { ADMIN_ERASURE_REASONS } from '../../domain/retention';
import { ConsolePage, CsrfField, Notice, type SessionView } from '../shared/layout';
import { href } from '../shared/links';

export interface ErasePageProps {
  session: SessionView;
  reference: string;
  problem?: ConsoleKey | undefined;
}

export function ErasePage({ session, reference, problem }: ErasePageProps): VNode {
  const back = href.report(reference);
  return (
    <ConsolePage title={ct('erase.title', { reference })} session={session} current="queue">
      {problem && <Notice kind="problem">{ct(problem)}</Notice>}
      <p>{ct('erase.explain')}</p>
      <p>{ct('erase.keeps')}</p>
      <form method="post" action={`${back}/erase`} class="stack">
        <CsrfField />
        <fieldset>
          <legend>{ct('erase.reason')}</legend>
          {ADMIN_ERASURE_REASONS.map((reason) => (
            <div>
              <input type="radio" id={`reason-${reason}`} name="reason" value={reason} required />
              <label for={`reason-${reason}`}>{ct(`erase.reason.${reason}`)}</label>
            </div>
          ))}
        </fieldset>
        <div>
          <input type="checkbox" id="confirm" name="confirm" value="yes" required />
          <label for="confirm">{ct('erase.confirm')}</label>
        </div>
        <button type="submit">{ct('erase.submit')}</button>
      </form>
      <p>
        <a href={back}>{ct('erase.cancel')}</a>
      </p>
    </ConsolePage>
  );
}
