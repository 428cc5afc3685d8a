/**
 * What the key-access pages' two scripts (setup.ts, give.ts) share, in the browser: reading the form's words, saying
 * how it went, and posting to the hub with the page's CSRF token.
 */
import { format } from '../../../lib/i18n/format';

export interface Page {
  form: HTMLFormElement;
  word(name: string, values?: Record<string, string>): string;
  say(words: string, isProblem: boolean): void;
}

/** Shows the form (the script is running), hides the "needs script" notice. */
export function startPage(form: HTMLFormElement): Page {
  const problem = document.getElementById('key-problem')!;
  const status = document.getElementById('key-status')!;
  document.querySelector<HTMLElement>('[data-needs-script]')?.setAttribute('hidden', '');
  form.hidden = false;
  return {
    form,
    word: (name, values = {}) => format(form.getAttribute(`data-msg-${name}`) ?? form.getAttribute('data-msg-not-saved') ?? '', values),
    say(words, isProblem) {
      problem.textContent = isProblem ? words : '';
      problem.hidden = !isProblem;
      status.textContent = isProblem ? '' : words;
    },
  };
}

/** Posts `fields` with the page's CSRF token; the response, or undefined when the hub could not be reached. */
export async function post(form: HTMLFormElement, to: string, fields: Record<string, string>): Promise<Response | undefined> {
  const csrf = form.querySelector<HTMLInputElement>('input[name="csrf"]')?.value ?? '';
  return fetch(to, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf, ...fields }).toString(),
  }).catch(() => undefined);
}
