/**
 * Sealing a reporter's personal data to the organisation and opening it in a moderator's browser (issue 23): round
 * trips through every layer (organisation key, moderator's passphrase, moderator's own key), and each way it must
 * fail: another report, another key, a wrong passphrase, one changed byte.
 */
import { describe, expect, it } from 'vitest';
import {
  newSealingKeyPair, openKey, openPersonal, publicJwkOf, sealKeyTo, sealPersonal, unwrapWithPassphrase, wrapWithPassphrase,
} from '../../../lib/crypto/seal';
import { Sealed, SEAL_ALG, type EncryptionKey } from '../../../lib/schema';

const REPORT = '0b5f6a55-2f0e-4a53-9a7e-6d3c1c1e9a01';
const person = { name: 'Samira Okafor', email: 'samira@example.org', phone: '+44 7700 900123', accessNeeds: 'Text, not calls' };
// Fewer rounds under test: the rounds are a parameter, stored with what they wrapped; the default is 600,000.
const ROUNDS = 1_000;

async function organisation(kid = 'k1') {
  const pair = await newSealingKeyPair();
  const key: EncryptionKey = { kid, alg: SEAL_ALG, jwk: await publicJwkOf(pair.publicKey) };
  return { pair, key, opening: { privateKey: pair.privateKey, publicJwk: key.jwk } };
}

describe('personal data sealed to the organisation', () => {
  it('opens with the organisation’s key for the same report, and nowhere else', async () => {
    const org = await organisation();
    const sealed = await sealPersonal(org.key, person, REPORT);
    expect(Sealed.parse(sealed)).toEqual(sealed);
    expect(JSON.stringify(sealed)).not.toMatch(/Samira|samira|7700|Text, not/);
    expect(await openPersonal(org.opening, sealed, REPORT)).toEqual(person);
    await expect(openPersonal(org.opening, sealed, crypto.randomUUID())).rejects.toThrow();
    await expect(openPersonal({ ...(await organisation()).opening, publicJwk: org.key.jwk }, sealed, REPORT)).rejects.toThrow();
    const flipped = { ...sealed, ct: `${sealed.ct.slice(0, 10)}${sealed.ct[10] === 'A' ? 'B' : 'A'}${sealed.ct.slice(11)}` };
    await expect(openPersonal(org.opening, flipped, REPORT)).rejects.toThrow();
  });

  it('seals the same details differently each time (nothing to match two reports by)', async () => {
    const org = await organisation();
    const [a, b] = await Promise.all([sealPersonal(org.key, person, REPORT), sealPersonal(org.key, person, REPORT)]);
    expect(a.enc).not.toBe(b.enc);
    expect(a.ct).not.toBe(b.ct);
  });

  it('refuses details the report schema would refuse, before sealing them', async () => {
    const org = await organisation();
    await expect(sealPersonal(org.key, { email: 'not an address' }, REPORT)).rejects.toThrow();
  });
});

describe('the organisation’s key at rest', () => {
  it('comes back from a moderator’s passphrase, and not from a wrong one', async () => {
    const org = await organisation();
    const wrapped = await wrapWithPassphrase(org.pair.privateKey, 'correct horse battery staple', ROUNDS);
    expect(wrapped).toMatchObject({ kdf: 'PBKDF2-SHA256', iterations: ROUNDS });
    const sealed = await sealPersonal(org.key, person, REPORT);
    expect(await openPersonal({ privateKey: await unwrapWithPassphrase(wrapped, 'correct horse battery staple'), publicJwk: org.key.jwk }, sealed, REPORT)).toEqual(person);
    await expect(unwrapWithPassphrase(wrapped, 'Correct horse battery staple')).rejects.toThrow();
  });

  it('is given to a colleague through their own key, bound to their account', async () => {
    const org = await organisation();
    const colleague = await newSealingKeyPair();
    const grant = await sealKeyTo(await publicJwkOf(colleague.publicKey), org.pair.privateKey, 'moderator-2');
    const colleagueKey = { privateKey: colleague.privateKey, publicJwk: await publicJwkOf(colleague.publicKey) };
    const theirs = await openKey(colleagueKey, grant, 'moderator-2');
    expect(await openPersonal({ privateKey: theirs, publicJwk: org.key.jwk }, await sealPersonal(org.key, person, REPORT), REPORT)).toEqual(person);
    await expect(openKey(colleagueKey, grant, 'moderator-3')).rejects.toThrow();
    const stranger = await newSealingKeyPair();
    await expect(openKey({ privateKey: stranger.privateKey, publicJwk: await publicJwkOf(stranger.publicKey) }, grant, 'moderator-2')).rejects.toThrow();
  });
});
