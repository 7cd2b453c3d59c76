// @peculiar/x509 resolves its ASN.1 serializers through tsyringe, which needs the Reflect metadata API loaded
// before it: this import must stay first.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

// Certificates for the playground (`fhpa sim`): a CA made for one run and a server certificate for 127.0.0.1
// and localhost signed by it. kubectl sends a bearer token only over TLS, and it (like fhpa) verifies the
// server against the CA in the kubeconfig, so the playground serves HTTPS with these. Node's crypto makes
// keys but not certificates; @peculiar/x509 builds them over WebCrypto. ECDSA P-256, as kubeadm can issue.

export interface LoopbackTls {
  caPem: string;
  certPem: string;
  keyPem: string;
}

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;

export interface CertificateAuthority {
  caPem: string;
  /** A certificate and its PKCS#8 key signed by this CA: for a server at 127.0.0.1/localhost, or a client. */
  issue(commonName: string, use: 'server' | 'client'): Promise<{ certPem: string; keyPem: string }>;
}

/** A CA made for one run (`fhpa sim`, and tests that need client certificates). */
export async function certificateAuthority(
  name: string,
  now: Date,
  days = 30,
): Promise<CertificateAuthority> {
  x509.cryptoProvider.set(webcrypto as Crypto);
  const validity = {
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + days * DAY_MS),
  };
  const caKeys = await webcrypto.subtle.generateKey(ALGORITHM, false, ['sign', 'verify']);
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${name}`,
    keys: caKeys,
    signingAlgorithm: ALGORITHM,
    ...validity,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const issue = async (commonName: string, use: 'server' | 'client') => {
    const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serial(),
      subject: `CN=${commonName}`,
      issuer: ca.subject,
      publicKey: keys.publicKey,
      signingKey: caKeys.privateKey,
      signingAlgorithm: ALGORITHM,
      ...validity,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([
          use === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth,
        ]),
        ...(use === 'server'
          ? [
              new x509.SubjectAlternativeNameExtension([
                { type: 'ip', value: '127.0.0.1' },
                { type: 'dns', value: 'localhost' },
              ]),
            ]
          : []),
        await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
      ],
    });
    const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
    return { certPem: cert.toString('pem'), keyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') };
  };
  return { caPem: ca.toString('pem'), issue };
}

export async function loopbackCertificates(now: Date, days = 30): Promise<LoopbackTls> {
  const ca = await certificateAuthority('fhpa-sim-ca', now, days);
  return { caPem: ca.caPem, ...(await ca.issue('fhpa-sim', 'server')) };
}

/** A positive 64-bit serial number, random as RFC 5280 section 4.1.2.2 recommends. */
function serial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(8));
  bytes[0] = (bytes[0] as number) & 0x7f;
  return Buffer.from(bytes).toString('hex');
}
