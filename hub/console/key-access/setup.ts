/**
 * The own-key page's script, bundled for the browser (never run on the hub): makes the moderator's key pair, wraps
 * the private half under the passphrase they typed twice (PBKDF2-SHA256, 600,000 rounds), and sends the hub only the
 * public half and the wrapped one. The passphrase and the private key in clear never leave this function.
 */
import { newSealingKeyPair, publicJwkOf, wrapWithPassphrase } from '../../../lib/crypto/seal';
import { postWithCsrf } from '../shared/page-script';
import { startPage, type Page } from './browser';

function setUp(page: Page): void {
  const { form } = page;
  const first = document.getElementById('own-passphrase') as HTMLInputElement;
  const again = document.getElementById('own-passphrase-again') as HTMLInputElement;
  const min = Number(form.dataset.min ?? '12');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const passphrase = first.value;
    if (passphrase.length < min) return page.say(page.word('too-short'), true);
    if (again.value !== passphrase) return page.say(page.word('mismatch'), true);
    first.value = '';
    again.value = '';
    page.say(page.word('making'), false);
    save(form, passphrase)
      .then(() => location.assign(form.dataset.done ?? location.href))
      .catch(() => page.say(page.word('not-saved'), true));
  });
}

async function save(form: HTMLFormElement, passphrase: string): Promise<void> {
  const pair = await newSealingKeyPair();
  const key = { publicJwk: await publicJwkOf(pair.publicKey), wrapped: await wrapWithPassphrase(pair.privateKey, passphrase) };
  const response = await postWithCsrf(form, form.dataset.save ?? '', { key: JSON.stringify(key) });
  if (response?.status !== 204) throw new Error('not saved');
}

const form = document.getElementById('key-setup');
if (form instanceof HTMLFormElement) setUp(startPage(form));
