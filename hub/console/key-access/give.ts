/**
 * The give-access page's script, bundled for the browser (never run on the hub): the admin opens the organisation's
 * key here (their own passphrase and grant, or the key file and its passphrase: org-key-unlock.ts), seals it to the
 * colleague's public key, bound to the colleague's account id (`sealKeyTo`), and sends the hub only that. The opened
 * key is exportable for this one sealing and lives in this function's variables only.
 */
import { sealKeyTo } from '../../../lib/crypto/seal';
import { PublicKeyJwk, SEAL_ALG } from '../../../lib/schema';
import { KeyProblem, unlockFromFields } from '../shared/org-key-unlock';
import { postWithCsrf } from '../shared/page-script';
import { startPage, type Page } from './browser';

class Refused extends Error {}

function setUp(page: Page): void {
  const { form } = page;
  const kid = form.dataset.kid ?? '';
  const holder = form.dataset.holder ?? '';
  const recipient = PublicKeyJwk.parse(JSON.parse(form.dataset.recipient ?? ''));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    page.say(page.word('giving'), false);
    give(form, kid, holder, recipient)
      .then(() => location.assign(form.dataset.done ?? location.href))
      .catch((error: unknown) => {
        if (error instanceof KeyProblem) page.say(page.word(error.word, error.values), true);
        else page.say(page.word(error instanceof Refused ? error.message : 'not-saved'), true);
      });
  });
}

async function give(form: HTMLFormElement, kid: string, holder: string, recipient: PublicKeyJwk): Promise<void> {
  const key = await unlockFromFields(kid, { extractable: true });
  const sealed = await sealKeyTo(recipient, key.privateKey, holder);
  const grant = { orgKey: { kid, alg: SEAL_ALG, jwk: key.publicJwk }, sealed, recipient };
  const response = await postWithCsrf(form, form.dataset.grant ?? '', { grant: JSON.stringify(grant) });
  if (response?.status === 204) return;
  // 409 names what the hub refused (no key, key changed, another key); anything else is "not saved".
  throw new Refused(response?.status === 409 ? await response.text() : 'not-saved');
}

const form = document.getElementById('key-give');
if (form instanceof HTMLFormElement) setUp(startPage(form));
