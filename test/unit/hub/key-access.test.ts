/**
 * Moderators' own access to sealed contact details (hub/domain/key-access.ts, migration 017), on the database: a
 * moderator's key kept only wrapped; a grant made as an admin's browser makes it (the organisation key sealed to the
 * colleague's key, bound to their id) opens, with the colleague's passphrase alone, what reporters sealed; the refusals
 * (no key, a key replaced since, another organisation key, a disabled account); replacing a key removes its grants;
 * removal deletes the grant; every change audited; and nothing in the two tables is a private key in clear.
 * Runs on PGlite and on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSealingKeyPair, openKey, openPersonal, publicJwkOf, sealKeyTo, sealPersonal, unwrapWithPassphrase, wrapWithPassphrase } from '../../../lib/crypto/seal';
import { base64url } from '../../../lib/integrity/canonical';
import { SEAL_ALG, type EncryptionKey } from '../../../lib/schema';
import type { Moderator } from '../../../hub/console/auth/accounts';
import { changeAccount } from '../../../hub/console/auth/accounts';
import { accessOverview, grantAccess, OwnKeyInput, ownAccessOf, removeAccess, setOwnKey, type GrantInput } from '../../../hub/domain/key-access';
import { makeModerator } from './console-helpers';
import { openTestDatabase, SETUP_TIMEOUT_MS, type TestDatabase } from './helpers';

const PASSPHRASE = 'my own passphrase, twelve+';
const PERSON = { name: 'Ada Okafor', email: 'ada@example.org' };

let database: TestDatabase;
let admin: Moderator;
let orgPair: CryptoKeyPair;
let orgKey: EncryptionKey;

/** A moderator's key as their browser makes it: the public half and the private half wrapped under their passphrase. */
async function ownKey(passphrase = PASSPHRASE) {
  const pair = await newSealingKeyPair();
  return { input: { publicJwk: await publicJwkOf(pair.publicKey), wrapped: await wrapWithPassphrase(pair.privateKey, passphrase) }, pair };
}

/** What an admin's browser posts to give `holder` access: the organisation key sealed to their public key. */
async function grantFor(holder: string, recipient: OwnKeyInput['publicJwk'], key = orgPair.privateKey, org = orgKey): Promise<GrantInput> {
  return { orgKey: org, sealed: await sealKeyTo(recipient, key, holder), recipient };
}

const auditOf = (action: string) => database.db.query<{ actor_id: string; before: unknown; after: unknown }>('SELECT actor_id::text AS actor_id, before, after FROM audit_log WHERE action = $1 ORDER BY at, id', [action]);

beforeAll(async () => {
  database = await openTestDatabase();
  admin = await makeModerator(database.db, 'admin');
  orgPair = await newSealingKeyPair();
  orgKey = { kid: 'org-2026-12-06-domain', alg: SEAL_ALG, jwk: await publicJwkOf(orgPair.publicKey) };
}, SETUP_TIMEOUT_MS);
afterAll(async () => {
  await database?.dispose();
});

describe('a moderator’s own key', () => {
  it('is kept only wrapped, and the setup is audited with the public half alone', async () => {
    const moderator = await makeModerator(database.db);
    const { input } = await ownKey();
    expect(await setOwnKey(database.db, moderator.id, input)).toEqual({ replaced: false, removed: [] });
    const access = await ownAccessOf(database.db, moderator.id);
    expect(access?.publicJwk).toEqual(input.publicJwk);
    expect(access?.wrapped).toEqual(input.wrapped);
    expect(access?.grants).toEqual([]);
    // The passphrase opens it; nothing else does.
    await expect(unwrapWithPassphrase(access!.wrapped, PASSPHRASE)).resolves.toBeDefined();
    await expect(unwrapWithPassphrase(access!.wrapped, 'another passphrase entirely')).rejects.toThrow();
    const [entry] = (await auditOf('key.setup')).filter((row) => row.actor_id === moderator.id);
    expect(entry?.after).toMatchObject({ moderatorId: moderator.id, replaced: false, removedAccess: [] });
    expect(JSON.stringify(entry)).not.toContain(input.wrapped.wrapped);
  });

  it('refuses a key wrapped with fewer rounds than browsers use, and a private JWK', async () => {
    const pair = await newSealingKeyPair();
    const weak = { publicJwk: await publicJwkOf(pair.publicKey), wrapped: await wrapWithPassphrase(pair.privateKey, PASSPHRASE, 1_000) };
    expect(OwnKeyInput.safeParse(weak).success).toBe(false);
    const withPrivate = { ...(await ownKey()).input };
    const jwk = await crypto.subtle.exportKey('jwk', pair.privateKey);
    expect(OwnKeyInput.safeParse({ ...withPrivate, publicJwk: { ...withPrivate.publicJwk, d: jwk.d } }).success).toBe(false);
  });
});

describe('access to the organisation key', () => {
  it('given by an admin, opens reporters’ sealed details with the moderator’s passphrase alone', async () => {
    const moderator = await makeModerator(database.db);
    const { input } = await ownKey();
    await setOwnKey(database.db, moderator.id, input);
    expect(await grantAccess(database.db, moderator.id, await grantFor(moderator.id, input.publicJwk), admin.id, orgKey)).toBe('done');

    // What the moderator's browser does with what the page hands it.
    const access = (await ownAccessOf(database.db, moderator.id))!;
    const grant = access.grants.find((entry) => entry.orgKey.kid === orgKey.kid)!;
    expect(grant.grantedBy).toBe(admin.id);
    const mine = await unwrapWithPassphrase(access.wrapped, PASSPHRASE);
    const organisation = await openKey({ privateKey: mine, publicJwk: access.publicJwk }, grant.sealed, access.holder);
    const sealed = await sealPersonal(orgKey, PERSON, 'report-1');
    expect(await openPersonal({ privateKey: organisation, publicJwk: grant.orgKey.jwk }, sealed, 'report-1')).toEqual(PERSON);
    // Bound to the moderator: the same grant read as another holder's does not open.
    await expect(openKey({ privateKey: mine, publicJwk: access.publicJwk }, grant.sealed, admin.id)).rejects.toThrow();

    const [entry] = (await auditOf('key.grant')).filter((row) => (row.after as { moderatorId?: string }).moderatorId === moderator.id);
    expect(entry).toMatchObject({ actor_id: admin.id, after: { moderatorId: moderator.id, kid: orgKey.kid } });
  });

  it('can be passed on by an admin who has it: their grant opened exportable, sealed to the next colleague', async () => {
    const holder = await makeModerator(database.db, 'admin');
    const holderKey = await ownKey();
    await setOwnKey(database.db, holder.id, holderKey.input);
    await grantAccess(database.db, holder.id, await grantFor(holder.id, holderKey.input.publicJwk), admin.id, orgKey);
    const next = await makeModerator(database.db);
    const nextKey = await ownKey('the next colleague passphrase');
    await setOwnKey(database.db, next.id, nextKey.input);

    // The holder's browser: their passphrase, their grant, the organisation key opened exportable for this one sealing.
    const access = (await ownAccessOf(database.db, holder.id))!;
    const mine = await unwrapWithPassphrase(access.wrapped, PASSPHRASE);
    const opening = { privateKey: mine, publicJwk: access.publicJwk };
    await expect(sealKeyTo(nextKey.input.publicJwk, await openKey(opening, access.grants[0]!.sealed, holder.id), next.id)).rejects.toThrow();
    const exportable = await openKey(opening, access.grants[0]!.sealed, holder.id, { extractable: true });
    const onward = { orgKey, sealed: await sealKeyTo(nextKey.input.publicJwk, exportable, next.id), recipient: nextKey.input.publicJwk };
    expect(await grantAccess(database.db, next.id, onward, holder.id, orgKey)).toBe('done');

    const theirs = (await ownAccessOf(database.db, next.id))!;
    const theirKey = await unwrapWithPassphrase(theirs.wrapped, 'the next colleague passphrase');
    const organisation = await openKey({ privateKey: theirKey, publicJwk: theirs.publicJwk }, theirs.grants[0]!.sealed, next.id);
    const sealed = await sealPersonal(orgKey, PERSON, 'report-2');
    expect(await openPersonal({ privateKey: organisation, publicJwk: theirs.grants[0]!.orgKey.jwk }, sealed, 'report-2')).toEqual(PERSON);
  });

  it('is refused without a key, to a key replaced since, for another key of the same id, and to a disabled account', async () => {
    const none = await makeModerator(database.db);
    const some = (await ownKey()).input.publicJwk;
    expect(await grantAccess(database.db, none.id, await grantFor(none.id, some), admin.id, orgKey)).toBe('no_key');

    const moderator = await makeModerator(database.db);
    const { input } = await ownKey();
    await setOwnKey(database.db, moderator.id, input);
    const stale = (await ownKey()).input.publicJwk;
    expect(await grantAccess(database.db, moderator.id, await grantFor(moderator.id, stale), admin.id, orgKey)).toBe('key_changed');

    const impostor = await newSealingKeyPair();
    const forged = { ...orgKey, jwk: await publicJwkOf(impostor.publicKey) };
    expect(await grantAccess(database.db, moderator.id, await grantFor(moderator.id, input.publicJwk, impostor.privateKey, forged), admin.id, orgKey)).toBe('other_key');

    expect(await changeAccount(database.db, moderator.id, { kind: 'disable' }, admin.id)).toBe('done');
    expect(await grantAccess(database.db, moderator.id, await grantFor(moderator.id, input.publicJwk), admin.id, orgKey)).toBe('not_found');
    expect(await grantAccess(database.db, crypto.randomUUID(), await grantFor(moderator.id, input.publicJwk), admin.id, orgKey)).toBe('not_found');
    expect((await ownAccessOf(database.db, moderator.id))?.grants).toEqual([]);
  });

  it('to an older key is taken as given, then held to the public half the first grant named', async () => {
    const older = await newSealingKeyPair();
    const olderKey: EncryptionKey = { kid: 'org-2025-01-01-older', alg: SEAL_ALG, jwk: await publicJwkOf(older.publicKey) };
    const [first, second] = [await makeModerator(database.db), await makeModerator(database.db)];
    const keys = [await ownKey(), await ownKey()];
    await setOwnKey(database.db, first.id, keys[0]!.input);
    await setOwnKey(database.db, second.id, keys[1]!.input);
    expect(await grantAccess(database.db, first.id, await grantFor(first.id, keys[0]!.input.publicJwk, older.privateKey, olderKey), admin.id, orgKey)).toBe('done');
    const other = await newSealingKeyPair();
    const otherKey = { ...olderKey, jwk: await publicJwkOf(other.publicKey) };
    expect(await grantAccess(database.db, second.id, await grantFor(second.id, keys[1]!.input.publicJwk, other.privateKey, otherKey), admin.id, orgKey)).toBe('other_key');
  });

  it('is removed by deleting the grant (audited), and replacing one’s key removes all of it', async () => {
    const moderator = await makeModerator(database.db);
    const { input } = await ownKey();
    await setOwnKey(database.db, moderator.id, input);
    await grantAccess(database.db, moderator.id, await grantFor(moderator.id, input.publicJwk), admin.id, orgKey);
    const overview = await accessOverview(database.db);
    expect(overview.accounts.find((row) => row.id === moderator.id)).toMatchObject({ hasKey: true, kids: [orgKey.kid], disabled: false });
    expect(overview.kids).toContain(orgKey.kid);

    expect(await removeAccess(database.db, moderator.id, orgKey.kid, admin.id)).toBe('done');
    expect(await removeAccess(database.db, moderator.id, orgKey.kid, admin.id)).toBe('not_found');
    expect((await ownAccessOf(database.db, moderator.id))?.grants).toEqual([]);
    expect((await auditOf('key.revoke')).filter((row) => (row.before as { moderatorId?: string }).moderatorId === moderator.id)).toEqual([
      { actor_id: admin.id, before: { moderatorId: moderator.id, kid: orgKey.kid }, after: null },
    ]);

    await grantAccess(database.db, moderator.id, await grantFor(moderator.id, input.publicJwk), admin.id, orgKey);
    const replacement = await ownKey('a brand new passphrase');
    expect(await setOwnKey(database.db, moderator.id, replacement.input)).toEqual({ replaced: true, removed: [orgKey.kid] });
    expect((await ownAccessOf(database.db, moderator.id))?.grants).toEqual([]);
    const entries = (await auditOf('key.setup')).filter((row) => row.actor_id === moderator.id);
    expect(entries.at(-1)?.after).toMatchObject({ replaced: true, removedAccess: [orgKey.kid] });
  });

  it('is removed when an admin disables the account, named in the audit entry, and not given back by enabling it', async () => {
    const moderator = await makeModerator(database.db);
    const { input } = await ownKey();
    await setOwnKey(database.db, moderator.id, input);
    expect(await grantAccess(database.db, moderator.id, await grantFor(moderator.id, input.publicJwk), admin.id, orgKey)).toBe('done');
    expect(await changeAccount(database.db, moderator.id, { kind: 'disable' }, admin.id)).toBe('done');
    expect((await ownAccessOf(database.db, moderator.id))?.grants).toEqual([]);
    const [entry] = (await auditOf('moderator.disable')).filter((row) => (row.after as { moderatorId?: string }).moderatorId === moderator.id);
    expect(entry?.after).toMatchObject({ disabled: true, accessRemoved: [orgKey.kid] });
    expect(await changeAccount(database.db, moderator.id, { kind: 'enable' }, admin.id)).toBe('done');
    expect((await ownAccessOf(database.db, moderator.id))?.grants).toEqual([]);
  });

  it('leaves no private key in clear in either table', async () => {
    const moderator = await makeModerator(database.db);
    const { input, pair } = await ownKey();
    await setOwnKey(database.db, moderator.id, input);
    await grantAccess(database.db, moderator.id, await grantFor(moderator.id, input.publicJwk), admin.id, orgKey);
    const dump = JSON.stringify([
      await database.db.query('SELECT * FROM moderator_keys'),
      await database.db.query('SELECT * FROM key_grants'),
      await database.db.query('SELECT * FROM audit_log'),
    ]);
    const orgPkcs8 = base64url(new Uint8Array(await crypto.subtle.exportKey('pkcs8', orgPair.privateKey)));
    const ownPkcs8 = base64url(new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey)));
    const orgD = (await crypto.subtle.exportKey('jwk', orgPair.privateKey)).d!;
    const ownD = (await crypto.subtle.exportKey('jwk', pair.privateKey)).d!;
    for (const secret of [orgPkcs8, ownPkcs8, orgD, ownD, PASSPHRASE]) expect(dump).not.toContain(secret);
  });
});
