import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';

// The serving certificate and key of the Node server (--tls-cert/--tls-key, FHPA_TLS_CERT_FILE/_KEY_FILE),
// read and checked before listening, so a mistake names the files: Node's own refusal of a swapped pair is
// "error:1E08010C:DECODER routines::unsupported" and names nothing.

export class TlsFilesError extends Error {}

const describe = (err: unknown) => (err instanceof Error ? err.message : String(err));

const isCertificate = (pem: Buffer) => {
  try {
    return new X509Certificate(pem);
  } catch {
    return undefined;
  }
};
const isKey = (pem: Buffer) => {
  try {
    return createPrivateKey(pem);
  } catch {
    return undefined;
  }
};

/** The PEM pair, or a TlsFilesError naming the file at fault (swapped, not PEM, not a pair, unreadable). */
export async function readTlsPair(certFile: string, keyFile: string): Promise<{ cert: Buffer; key: Buffer }> {
  const read = async (file: string, what: string) => {
    try {
      return await readFile(file);
    } catch (err) {
      throw new TlsFilesError(`TLS ${what} ${file}: ${describe(err)}`);
    }
  };
  const cert = await read(certFile, 'certificate');
  const key = await read(keyFile, 'key');
  const certificate = isCertificate(cert);
  const privateKey = isKey(key);
  if (!certificate && !privateKey && isKey(cert) && isCertificate(key)) {
    throw new TlsFilesError(
      `TLS certificate and key are swapped: ${certFile} holds a private key and ${keyFile} a certificate (give --tls-cert ${keyFile} --tls-key ${certFile})`,
    );
  }
  if (!certificate) throw new TlsFilesError(`TLS certificate ${certFile}: not a PEM certificate`);
  if (!privateKey) throw new TlsFilesError(`TLS key ${keyFile}: not a PEM private key`);
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new TlsFilesError(`TLS key ${keyFile} is not the private key of the certificate in ${certFile}`);
  }
  return { cert, key };
}
