// The control plane's PKI: a CA, a serving certificate for 127.0.0.1/localhost, and client
// certificates (CN = user, O = groups), made once and kept in the data directory.
import { webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const tenYears = 10 * 365 * 24 * 3600 * 1000;

export interface KeyPairPem {
  certPem: string;
  keyPem: string;
}

async function keyToPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

async function importKey(pem: string): Promise<CryptoKey> {
  const der = x509.PemConverter.decode(pem)[0];
  return await webcrypto.subtle.importKey('pkcs8', der, alg, true, ['sign']);
}

function serial(): string {
  return webcrypto.getRandomValues(new Uint8Array(16)).reduce((s, b) => s + b.toString(16).padStart(2, '0'), '7');
}

export async function createCA(commonName: string): Promise<KeyPairPem> {
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${commonName}`,
    notBefore: new Date(now - 3600_000),
    notAfter: new Date(now + tenYears),
    keys,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await keyToPem(keys.privateKey) };
}

export interface LeafOptions {
  commonName: string;
  organizations?: string[];
  /** serving certificates: DNS names and IPs */
  dnsNames?: string[];
  ips?: string[];
  usage: 'server' | 'client';
  /** how long it is valid; default a year (the CA: ten), so rotation is a habit, not an emergency */
  validityDays?: number;
}

const defaultLeafValidityDays = 365;

export async function createSignedCert(ca: KeyPairPem, opts: LeafOptions): Promise<KeyPairPem> {
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const caCert = new x509.X509Certificate(ca.certPem);
  const caKey = await importKey(ca.keyPem);
  const now = Date.now();
  const subject = [`CN=${opts.commonName}`, ...(opts.organizations ?? []).map((o) => `O=${o}`)].join(', ');
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension([opts.usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
  ];
  if (opts.usage === 'server') {
    extensions.push(
      new x509.SubjectAlternativeNameExtension([
        ...(opts.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
        ...(opts.ips ?? []).map((value) => ({ type: 'ip' as const, value })),
      ]),
    );
  }
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject,
    issuer: caCert.subject,
    notBefore: new Date(now - 3600_000),
    notAfter: new Date(now + (opts.validityDays ?? defaultLeafValidityDays) * 86_400_000),
    signingKey: caKey,
    publicKey: keys.publicKey,
    signingAlgorithm: alg,
    extensions,
  });
  return { certPem: cert.toString('pem'), keyPem: await keyToPem(keys.privateKey) };
}

export interface ServerPki {
  ca: KeyPairPem;
  serving: KeyPairPem;
  admin: KeyPairPem;
}

function loadPair(dir: string, name: string): KeyPairPem | undefined {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  if (!existsSync(cert) || !existsSync(key)) return undefined;
  return { certPem: readFileSync(cert, 'utf8'), keyPem: readFileSync(key, 'utf8') };
}

function savePair(dir: string, name: string, pair: KeyPairPem): void {
  writeFileSync(join(dir, `${name}.crt`), pair.certPem, { mode: 0o644 });
  writeFileSync(join(dir, `${name}.key`), pair.keyPem, { mode: 0o600 });
}

const servingLeaf: LeafOptions = { commonName: 'karmada-ts-apiserver', usage: 'server', dnsNames: ['localhost'], ips: ['127.0.0.1'] };

/** where an API server's serving certificate lives under its data dir (the server reloads it when it changes) */
export function servingCertPath(dataDir: string): string {
  return join(dataDir, 'pki', 'apiserver.crt');
}

export function loadServingPair(dataDir: string): KeyPairPem | undefined {
  return loadPair(join(dataDir, 'pki'), 'apiserver');
}

/**
 * Issues a new serving certificate (new key, fresh validity) from the CA in DATADIR/pki. Clients keep
 * trusting it (same CA) and a running server picks it up for new connections: no downtime.
 */
export async function rotateServingCert(dataDir: string, validityDays?: number): Promise<{ notAfter: Date }> {
  const dir = join(dataDir, 'pki');
  const ca = loadPair(dir, 'ca');
  if (!ca) throw new Error(`no CA in ${dir}: not an API server's data dir`);
  const serving = await createSignedCert(ca, { ...servingLeaf, validityDays });
  // key first: a reload triggered by the certificate's change must find the matching key
  writeFileSync(join(dir, 'apiserver.key.next'), serving.keyPem, { mode: 0o600 });
  renameSync(join(dir, 'apiserver.key.next'), join(dir, 'apiserver.key'));
  writeFileSync(join(dir, 'apiserver.crt.next'), serving.certPem, { mode: 0o644 });
  renameSync(join(dir, 'apiserver.crt.next'), join(dir, 'apiserver.crt'));
  return { notAfter: new x509.X509Certificate(serving.certPem).notAfter };
}

/** Loads the PKI from DIR/pki, making whatever is missing. The admin is CN=kubernetes-admin in system:masters. */
export async function ensurePki(dataDir: string): Promise<ServerPki> {
  const dir = join(dataDir, 'pki');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let ca = loadPair(dir, 'ca');
  let fresh = false;
  if (!ca) {
    ca = await createCA('karmada-ts-ca');
    savePair(dir, 'ca', ca);
    fresh = true;
  }
  let serving = fresh ? undefined : loadPair(dir, 'apiserver');
  if (!serving) {
    serving = await createSignedCert(ca, servingLeaf);
    savePair(dir, 'apiserver', serving);
  }
  let admin = fresh ? undefined : loadPair(dir, 'admin');
  if (!admin) {
    admin = await createSignedCert(ca, { commonName: 'kubernetes-admin', organizations: ['system:masters'], usage: 'client' });
    savePair(dir, 'admin', admin);
  }
  return { ca, serving, admin };
}

export interface SignRequestOptions {
  /** Kubernetes key usages: "client auth", "server auth", "digital signature", "key encipherment" */
  usages: string[];
  notAfter: Date;
}

/** the subject of a PEM certificate request whose signature checks out, or why not */
export async function readCertificateRequest(pem: string): Promise<{ subject: string; commonName: string; organizations: string[] } | { error: string }> {
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(pem);
  } catch {
    return { error: 'PEM block type must be CERTIFICATE REQUEST' };
  }
  if (!(await csr.verify().catch(() => false))) return { error: 'the certificate request signature does not verify' };
  const name = csr.subjectName;
  return { subject: csr.subject, commonName: name.getField('CN')[0] ?? '', organizations: name.getField('O') };
}

/** the CA's signature on a certificate request (the kube-controller-manager's csrsigning signer) */
export async function signCertificateRequest(ca: KeyPairPem, pem: string, opts: SignRequestOptions): Promise<string> {
  const csr = new x509.Pkcs10CertificateRequest(pem);
  const caCert = new x509.X509Certificate(ca.certPem);
  const keyUsage =
    (opts.usages.includes('digital signature') ? x509.KeyUsageFlags.digitalSignature : 0) | (opts.usages.includes('key encipherment') ? x509.KeyUsageFlags.keyEncipherment : 0);
  const extended = [
    ...(opts.usages.includes('client auth') ? [x509.ExtendedKeyUsage.clientAuth] : []),
    ...(opts.usages.includes('server auth') ? [x509.ExtendedKeyUsage.serverAuth] : []),
  ];
  const extensions: x509.Extension[] = [new x509.BasicConstraintsExtension(false, undefined, true)];
  if (keyUsage) extensions.push(new x509.KeyUsagesExtension(keyUsage, true));
  if (extended.length) extensions.push(new x509.ExtendedKeyUsageExtension(extended));
  const san = csr.getExtension('2.5.29.17'); // subjectAltName
  if (san && opts.usages.includes('server auth')) extensions.push(san);
  const caNotAfter = caCert.notAfter.getTime();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: csr.subject,
    issuer: caCert.subject,
    notBefore: new Date(Date.now() - 300_000),
    notAfter: new Date(Math.min(opts.notAfter.getTime(), caNotAfter)),
    signingKey: await importKey(ca.keyPem),
    publicKey: await csr.publicKey.export(),
    signingAlgorithm: alg,
    extensions,
  });
  return cert.toString('pem');
}

/** a new key and a PKCS#10 request for CN=commonName, O=organizations (a client asking for a certificate) */
export async function createCertificateRequest(commonName: string, organizations: string[] = []): Promise<{ requestPem: string; keyPem: string }> {
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const name = [`CN=${commonName}`, ...organizations.map((o) => `O=${o}`)].join(', ');
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name, keys, signingAlgorithm: alg });
  return { requestPem: csr.toString('pem'), keyPem: await keyToPem(keys.privateKey) };
}
