/** A self-signed certificate for `localhost`, for tests of TLS endpoints. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCertificate {
  readonly certFile: string;
  readonly keyFile: string;
  readonly cert: Buffer;
  readonly key: Buffer;
}

export function selfSignedCert(dir: string): TestCertificate {
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-keyout',
        keyFile,
        '-out',
        certFile,
      ],
      { stdio: 'ignore' },
    );
  } catch (e) {
    throw new Error(`openssl could not make a test certificate (install the openssl package): ${String(e)}`);
  }
  return { certFile, keyFile, cert: readFileSync(certFile), key: readFileSync(keyFile) };
}
