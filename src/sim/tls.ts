/**
 * A throw-away CA and a serving certificate for 127.0.0.1 / localhost, made offline at start.
 * Keys come from Node's crypto (native, fast); node-forge only assembles the X.509 structures,
 * and the signatures are made by Node too — pure-JS RSA signing would cost most of a second.
 */
import { generateKeyPair, randomBytes, sign } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';

export interface SimTls {
  caPem: string;
  certPem: string;
  keyPem: string;
}

const pki = forge.pki;

const genKeyPair = promisify(generateKeyPair);

/** Async so both key pairs are generated in parallel on libuv's thread pool. */
async function newKeys(): Promise<{ publicPem: string; privatePem: string }> {
  const { publicKey, privateKey } = await genKeyPair('rsa', { modulusLength: 2048 });
  return {
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** Signs `cert` with a Node private key: forge calls key.sign(md) after building the TBS part. */
function signWith(cert: forge.pki.Certificate, privatePem: string): void {
  const nodeSigner = {
    sign: () => {
      const tbs = forge.asn1.toDer((cert as unknown as { tbsCertificate: forge.asn1.Asn1 }).tbsCertificate).getBytes();
      return sign('sha256', Buffer.from(tbs, 'binary'), privatePem).toString('binary');
    },
  };
  cert.sign(nodeSigner as unknown as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
}

function serial(): string {
  const b = randomBytes(16);
  b[0] = b[0]! & 0x7f; // positive
  return b.toString('hex');
}

function validity(cert: forge.pki.Certificate): void {
  cert.validity.notBefore = new Date(Date.now() - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(Date.now() + 365 * 24 * 60 * 60 * 1000);
}

export async function generateTls(): Promise<SimTls> {
  const [caKeys, srvKeys] = await Promise.all([newKeys(), newKeys()]);
  const ca = pki.createCertificate();
  ca.publicKey = pki.publicKeyFromPem(caKeys.publicPem);
  ca.serialNumber = serial();
  validity(ca);
  const caName = [{ name: 'commonName', value: 'kai-demo-ca' }];
  ca.setSubject(caName);
  ca.setIssuer(caName);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  signWith(ca, caKeys.privatePem);

  const srv = pki.createCertificate();
  srv.publicKey = pki.publicKeyFromPem(srvKeys.publicPem);
  srv.serialNumber = serial();
  validity(srv);
  srv.setSubject([{ name: 'commonName', value: 'kube-apiserver' }]);
  srv.setIssuer(caName);
  srv.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }, { type: 2, value: 'kubernetes.default.svc' }] },
  ]);
  signWith(srv, caKeys.privatePem);

  return { caPem: pki.certificateToPem(ca), certPem: pki.certificateToPem(srv), keyPem: srvKeys.privatePem };
}
