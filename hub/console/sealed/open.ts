/**
 * The sealed-contact page's script, bundled for the browser by bundle.ts (runs in the moderator's browser, never on
 * the hub). It reads the organisation's key file the moderator chose, unwraps the private key with their passphrase,
 * opens the report's sealed block (bound to the report's id), asks the hub to record the reveal in the audit log and
 * only then shows the details, as text. The key lives in this function's variables and nowhere else: not in storage,
 * not sent anywhere; leaving or reloading the page forgets it.
 */
import { openPersonal } from '../../../lib/crypto/seal';
import { format } from '../../../lib/i18n/format';
import { Sealed, type PersonalData } from '../../../lib/schema';
import { KeyProblem, unlockFromFields, type KeyProblemName } from '../shared/org-key-unlock';
import { messageLines, postWithCsrf } from '../shared/page-script';

type MessageName = KeyProblemName | 'not-opened' | 'not-recorded' | 'opening' | 'opened' | 'none';

class Problem extends Error {
  constructor(readonly word: MessageName) {
    super(word);
  }
}

function setUp(form: HTMLFormElement): void {
  const word = (name: MessageName, values: Record<string, string> = {}) => format(form.getAttribute(`data-msg-${name}`) ?? '', values);
  const sealed = Sealed.parse(JSON.parse(form.dataset.sealed ?? ''));
  const reportId = form.dataset.reportId ?? '';
  const result = document.getElementById('sealed-result')!;

  document.querySelector<HTMLElement>('[data-sealed-needs-script]')?.setAttribute('hidden', '');
  form.hidden = false;

  const say = messageLines(document.getElementById('sealed-problem')!, document.getElementById('sealed-status')!);

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    result.hidden = true;
    say(word('opening'), false);
    open(form, sealed, reportId)
      .then((details) => {
        show(result, details, word('none'));
        say(word('opened'), false);
        result.querySelector<HTMLElement>('h2')?.focus();
      })
      .catch((error: unknown) => {
        if (error instanceof KeyProblem) say(word(error.word, error.values), true);
        else say(word(error instanceof Problem ? error.word : 'not-opened'), true);
      });
  });
}

/** The whole opening, each step failing with the words for what went wrong. */
async function open(form: HTMLFormElement, sealed: Sealed, reportId: string): Promise<PersonalData> {
  const key = await unlockFromFields(sealed.kid);
  const details = await openPersonal(key, sealed, reportId).catch(() => {
    throw new Problem('not-opened');
  });
  await recordReveal(form);
  return details;
}

/** The audit entry first: if the hub cannot record it, nothing is shown. Only the CSRF token is sent. */
async function recordReveal(form: HTMLFormElement): Promise<void> {
  const response = await postWithCsrf(form, form.dataset.reveal ?? '');
  if (!response || response.status !== 204) throw new Problem('not-recorded');
}

function show(result: HTMLElement, details: PersonalData, none: string): void {
  for (const cell of result.querySelectorAll<HTMLElement>('[data-field]')) {
    const value = details[cell.dataset.field as keyof PersonalData];
    // Text only: whatever the reporter typed is never read as markup.
    cell.textContent = value ?? none;
    cell.classList.toggle('absent', value === undefined);
  }
  result.hidden = false;
}

const form = document.getElementById('sealed-open');
if (form instanceof HTMLFormElement) setUp(form);
