/**
 * What the key-access pages' two scripts (setup.ts, give.ts) share, in the browser: reading the form's words and
 * saying how it went (hub/console/shared/page-script.ts, which also posts to the hub with the CSRF token).
 */
import { format } from '../../../lib/i18n/format';
import { messageLines } from '../shared/page-script';

export interface Page {
  form: HTMLFormElement;
  word(name: string, values?: Record<string, string>): string;
  say(words: string, isProblem: boolean): void;
}

/** Shows the form (the script is running), hides the "needs script" notice. */
export function startPage(form: HTMLFormElement): Page {
  const say = messageLines(document.getElementById('key-problem')!, document.getElementById('key-status')!);
  document.querySelector<HTMLElement>('[data-needs-script]')?.setAttribute('hidden', '');
  form.hidden = false;
  return {
    form,
    word: (name, values = {}) => format(form.getAttribute(`data-msg-${name}`) ?? form.getAttribute('data-msg-not-saved') ?? '', values),
    say,
  };
}
