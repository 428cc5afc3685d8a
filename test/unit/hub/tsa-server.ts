/**
 * A real RFC 3161 timestamp authority for tests, on 127.0.0.1, built with pkijs: a test root CA and a TSA certificate
 * with the critical timeStamping extended key usage, signing TSTInfo in CMS SignedData with contentType and
 * messageDigest signed attributes, as a production TSA does. `down` makes it answer 503 (an authority that cannot be
 * reached yet); `received` counts the requests it granted.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const TIME_STAMPING = '1.3.6.1.5.5.7.3.8';
const TST_INFO = '1.2.840.113549.1.9.16.1.4';
const POLICY = '1.3.6.1.4.1.99999.1.1';

function name(commonName: string): pkijs.RelativeDistinguishedNames {
  return new pkijs.RelativeDistinguishedNames({
    typesAndValues: [
      new pkijs.AttributeTypeAndValue({ type: '2.5.4.10', value: new asn1js.Utf8String({ value: 'OHR test' }) }),
      new pkijs.AttributeTypeAndValue({ type: '2.5.4.3', value: new asn1js.Utf8String({ value: commonName }) }),
    ],
  });
}

async function certificate(options: {
  subject: string;
  issuer: string;
  serial: number;
  publicKey: CryptoKey;
  signingKey: CryptoKey;
  ca: boolean;
}): Promise<pkijs.Certificate> {
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ value: options.serial });
  cert.issuer = name(options.issuer);
  cert.subject = name(options.subject);
  cert.notBefore.value = new Date(Date.now() - 24 * 3600_000);
  cert.notAfter.value = new Date(Date.now() + 365 * 24 * 3600_000);
  cert.extensions = [
    new pkijs.Extension({
      extnID: '2.5.29.19',
      critical: true,
      extnValue: new pkijs.BasicConstraints({ cA: options.ca }).toSchema().toBER(false),
      parsedValue: new pkijs.BasicConstraints({ cA: options.ca }),
    }),
  ];
  if (!options.ca) {
    const usage = new pkijs.ExtKeyUsage({ keyPurposes: [TIME_STAMPING] });
    cert.extensions.push(new pkijs.Extension({ extnID: '2.5.29.37', critical: true, extnValue: usage.toSchema().toBER(false), parsedValue: usage }));
  }
  await cert.subjectPublicKeyInfo.importKey(options.publicKey);
  await cert.sign(options.signingKey, 'SHA-256');
  return cert;
}

export interface TestTsa {
  url: string;
  /** The root the TSA's certificate is issued by, PEM: what `npm run verify -- --tsa-ca` is given. */
  rootPem: string;
  root: pkijs.Certificate;
  down: boolean;
  granted: number;
  close(): Promise<void>;
}

export async function startTestTsa(label = 'OHR Test TSA'): Promise<TestTsa> {
  const rootKeys = (await crypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair;
  const tsaKeys = (await crypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair;
  const root = await certificate({ subject: `${label} Root`, issuer: `${label} Root`, serial: 1, publicKey: rootKeys.publicKey, signingKey: rootKeys.privateKey, ca: true });
  const tsaCert = await certificate({ subject: label, issuer: `${label} Root`, serial: 2, publicKey: tsaKeys.publicKey, signingKey: rootKeys.privateKey, ca: false });
  let serial = 1000;

  async function respond(body: Uint8Array): Promise<Uint8Array> {
    const request = pkijs.TimeStampReq.fromBER(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer);
    const info = new pkijs.TSTInfo({
      version: 1,
      policy: POLICY,
      messageImprint: request.messageImprint,
      serialNumber: new asn1js.Integer({ value: serial++ }),
      genTime: new Date(),
      ...(request.nonce ? { nonce: request.nonce } : {}),
    });
    const content = info.toSchema().toBER(false);
    const signed = new pkijs.SignedData({
      version: 3,
      encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: TST_INFO, eContent: new asn1js.OctetString({ valueHex: content }) }),
      signerInfos: [
        new pkijs.SignerInfo({
          version: 1,
          sid: new pkijs.IssuerAndSerialNumber({ issuer: tsaCert.issuer, serialNumber: tsaCert.serialNumber }),
          signedAttrs: new pkijs.SignedAndUnsignedAttributes({
            type: 0,
            attributes: [
              new pkijs.Attribute({ type: '1.2.840.113549.1.9.3', values: [new asn1js.ObjectIdentifier({ value: TST_INFO })] }),
              new pkijs.Attribute({
                type: '1.2.840.113549.1.9.4',
                values: [new asn1js.OctetString({ valueHex: createHash('sha256').update(new Uint8Array(content)).digest() })],
              }),
            ],
          }),
        }),
      ],
      ...(request.certReq ? { certificates: [tsaCert] } : {}),
    });
    await signed.sign(tsaKeys.privateKey, 0, 'SHA-256');
    const response = new pkijs.TimeStampResp({
      status: new pkijs.PKIStatusInfo({ status: pkijs.PKIStatus.granted }),
      timeStampToken: new pkijs.ContentInfo({ contentType: pkijs.ContentInfo.SIGNED_DATA, content: signed.toSchema(true) }),
    });
    return new Uint8Array(response.toSchema().toBER(false));
  }

  const state = { down: false, granted: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (state.down) {
        res.writeHead(503).end();
        return;
      }
      if (req.method !== 'POST' || req.headers['content-type'] !== 'application/timestamp-query') {
        res.writeHead(400).end();
        return;
      }
      respond(new Uint8Array(Buffer.concat(chunks))).then(
        (bytes) => {
          state.granted++;
          res.writeHead(200, { 'Content-Type': 'application/timestamp-reply', 'Content-Length': bytes.byteLength }).end(bytes);
        },
        () => res.writeHead(400).end(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const rootPem = `-----BEGIN CERTIFICATE-----\n${Buffer.from(root.toSchema().toBER(false)).toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;
  return {
    url: `http://127.0.0.1:${port}/tsr`,
    rootPem,
    root,
    get down() {
      return state.down;
    },
    set down(value: boolean) {
      state.down = value;
    },
    get granted() {
      return state.granted;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
