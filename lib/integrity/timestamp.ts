/**
 * RFC 3161 trusted timestamps: the request the hub sends a timestamp authority (TSA) for a report's SHA-256, the
 * checks on its answer, and the checks `npm run verify` repeats on a stored token. Every ASN.1 structure is built and
 * read by `pkijs`/`asn1js`, never by hand.
 *
 * What a valid token proves: the TSA signed, at `genTime` by its clock, that it had seen this SHA-256. Whether that
 * TSA is one to trust is a question of its certificate: the checks here name the certificate that signed and, given
 * trusted roots, whether it chains to one of them.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

const TST_INFO = '1.2.840.113549.1.9.16.1.4';
const SHA256 = '2.16.840.1.101.3.4.2.1';
const GRANTED = [0, 1]; // granted, grantedWithMods
const TIME_STAMPING = '1.3.6.1.5.5.7.3.8';

const hexToBuffer = (hex: string): ArrayBuffer => Uint8Array.from(hex.match(/../g) ?? [], (byte) => parseInt(byte, 16)).buffer;
const bufferToHex = (buffer: ArrayBuffer): string => Buffer.from(buffer).toString('hex');

/** A TimeStampReq for `sha256` (hex), asking for the TSA's certificate in the token, with a random nonce. */
export function timestampRequest(sha256: string): { der: Uint8Array<ArrayBuffer>; nonce: string } {
  const nonce = crypto.getRandomValues(new Uint8Array(8));
  nonce[0] = (nonce[0]! & 0x7f) | 0x01; // positive, and no leading zero byte to be trimmed
  const request = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: SHA256, algorithmParams: new asn1js.Null() }),
      hashedMessage: new asn1js.OctetString({ valueHex: hexToBuffer(sha256) }),
    }),
    nonce: new asn1js.Integer({ valueHex: nonce.buffer }),
    certReq: true,
  });
  return { der: new Uint8Array(request.toSchema().toBER()), nonce: Buffer.from(nonce).toString('hex') };
}

export interface TokenFacts {
  genTime: string;
  /** The token's serial number, in hexadecimal. */
  serial: string;
  /** The TSA's certificate subject (or the `tsa` name in the token), in words. */
  tsa: string;
  /** The policy the TSA issued it under (an OID). */
  policy: string;
}

export type ResponseReading = ({ ok: true; token: Uint8Array } & TokenFacts) | { ok: false; error: string };

/** Reads a TSA's answer to `timestampRequest(sha256)`: granted, for this hash and nonce, and signed. */
export async function readTimestampResponse(der: Uint8Array, sha256: string, nonce: string): Promise<ResponseReading> {
  let response: pkijs.TimeStampResp;
  try {
    response = pkijs.TimeStampResp.fromBER(toArrayBuffer(der));
  } catch {
    return { ok: false, error: 'The answer is not an RFC 3161 TimeStampResp' };
  }
  const status = response.status.status;
  if (!GRANTED.includes(status) || !response.timeStampToken) {
    const words = response.status.statusStrings?.map((text) => text.valueBlock.value).join(' ') ?? '';
    return { ok: false, error: `The authority refused (status ${status}${words ? `: ${words}` : ''})` };
  }
  const token = new Uint8Array(response.timeStampToken.toSchema().toBER());
  const checked = await verifyTimestampToken(token, sha256);
  if (!checked.ok) return { ok: false, error: checked.checks.filter((check) => !check.ok).map((check) => check.what).join('; ') };
  if (checked.nonce !== nonce) return { ok: false, error: 'The token does not carry the nonce sent' };
  return { ok: true, token, ...checked.facts! };
}

export interface TokenVerdict {
  ok: boolean;
  checks: Array<{ ok: boolean; what: string }>;
  facts?: TokenFacts;
  nonce?: string;
}

function describeName(name: pkijs.RelativeDistinguishedNames): string {
  const labels: Record<string, string> = { '2.5.4.3': 'CN', '2.5.4.10': 'O', '2.5.4.11': 'OU', '2.5.4.6': 'C' };
  return name.typesAndValues.map((entry) => `${labels[entry.type] ?? entry.type}=${String(entry.value.valueBlock.value)}`).join(', ');
}

/**
 * Checks a stored TimeStampToken (DER of its ContentInfo): a SignedData over a TSTInfo, whose signature verifies with
 * the certificate it carries (which must be for time-stamping), for exactly `sha256`. With `trustedCerts`, also that
 * the certificate chains to one of them.
 */
export async function verifyTimestampToken(der: Uint8Array, sha256: string, trustedCerts?: readonly pkijs.Certificate[]): Promise<TokenVerdict> {
  const checks: TokenVerdict['checks'] = [];
  let signed: pkijs.SignedData;
  let info: pkijs.TSTInfo;
  try {
    const content = pkijs.ContentInfo.fromBER(toArrayBuffer(der));
    if (content.contentType !== pkijs.ContentInfo.SIGNED_DATA) throw new Error('not SignedData');
    signed = new pkijs.SignedData({ schema: content.content });
    if (signed.encapContentInfo.eContentType !== TST_INFO || !signed.encapContentInfo.eContent) throw new Error('not a TSTInfo');
    info = pkijs.TSTInfo.fromBER(signed.encapContentInfo.eContent.getValue());
  } catch (error) {
    return { ok: false, checks: [{ ok: false, what: `timestamp token cannot be read (${(error as Error).message})` }] };
  }
  const imprint = info.messageImprint;
  const forHash = imprint.hashAlgorithm.algorithmId === SHA256 && bufferToHex(imprint.hashedMessage.valueBlock.valueHexView.slice().buffer) === sha256;
  checks.push({ ok: forHash, what: `timestamp token is for SHA-256 ${sha256.slice(0, 12)}…` });
  const certificate = signed.certificates?.find((cert): cert is pkijs.Certificate => cert instanceof pkijs.Certificate);
  const tsa = certificate ? describeName(certificate.subject) : 'an authority that sent no certificate';
  // pkijs's own TSTInfo branch wants the time-stamped data itself to hash again; a report's timestamp is over a hash
  // the verifier holds, not the data. So the imprint is compared above, the signing certificate's purpose below, and
  // pkijs verifies the CMS signature (signed attributes, message digest of the TSTInfo, certificate chain) as for any
  // signed content: the eContent type is not among the signed bytes, the content-type attribute is.
  signed.encapContentInfo.eContentType = pkijs.ContentInfo.DATA;
  let signatureOk = false;
  let signer: pkijs.Certificate | undefined;
  try {
    const result = await signed.verify({
      signer: 0,
      checkChain: trustedCerts !== undefined,
      trustedCerts: trustedCerts ? [...trustedCerts] : [],
      checkDate: info.genTime,
      extendedMode: true,
    });
    signatureOk = result.signatureVerified === true;
    signer = result.signerCertificate ?? undefined;
  } catch {
    signatureOk = false;
  }
  const signerName = signer ? describeName(signer.subject) : tsa;
  checks.push({ ok: signatureOk, what: `timestamp token signature by ${signerName}${trustedCerts ? ', chained to a trusted root' : ' (not checked against trusted roots)'}` });
  checks.push({ ok: isForTimeStamping(signer ?? certificate), what: 'timestamp token signed with a certificate for time-stamping only (extended key usage)' });
  const facts: TokenFacts = {
    genTime: info.genTime.toISOString(),
    serial: bufferToHex(info.serialNumber.valueBlock.valueHexView.slice().buffer),
    tsa,
    policy: info.policy,
  };
  const nonce = info.nonce ? bufferToHex(info.nonce.valueBlock.valueHexView.slice().buffer) : undefined;
  return { ok: checks.every((check) => check.ok), checks, facts, ...(nonce ? { nonce } : {}) };
}

/** RFC 3161 2.3: the TSA's certificate has exactly one extended key usage, timeStamping, marked critical. */
function isForTimeStamping(certificate: pkijs.Certificate | undefined): boolean {
  const usage = certificate?.extensions?.find((extension) => extension.extnID === '2.5.29.37');
  const purposes = (usage?.parsedValue as pkijs.ExtKeyUsage | undefined)?.keyPurposes ?? [];
  return usage?.critical === true && purposes.length === 1 && purposes[0] === TIME_STAMPING;
}

/** A PEM or DER certificate, for `verifyTimestampToken`'s trusted roots. */
export function parseCertificate(bytes: Uint8Array): pkijs.Certificate {
  const text = new TextDecoder().decode(bytes);
  const pem = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(text);
  const der = pem ? Uint8Array.from(Buffer.from(pem[1]!.replace(/\s+/g, ''), 'base64')) : bytes;
  return pkijs.Certificate.fromBER(toArrayBuffer(der));
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
