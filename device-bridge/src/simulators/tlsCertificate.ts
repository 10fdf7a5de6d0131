/** A self-signed certificate made at run time for the simulators' TLS servers (never stored). */
import { generate } from 'selfsigned';

export interface TlsMaterial {
  key: string;
  cert: string;
}

/** Like a Bambu printer's: the common name is the serial, not the address. */
export async function selfSignedCertificate(commonName: string): Promise<TlsMaterial> {
  const pems = await generate([{ name: 'commonName', value: commonName }], {
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 24 * 3600 * 1000),
  });
  return { key: pems.private, cert: pems.cert };
}
