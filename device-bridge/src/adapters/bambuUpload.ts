/**
 * Bambu uploads: implicit FTPS (TLS from the first byte, port 990, user bblp, password = access
 * code), then the MQTT command that starts the file. A `.gcode.3mf` starts with `project_file`,
 * which needs the MD5 of the plate's G-code inside the archive; plain G-code with `gcode_file`.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { Client } from 'basic-ftp';
import { unzipSync } from 'fflate';

export interface FtpsTarget {
  host: string;
  port: number;
  accessCode: string;
}

/** Store bytes as `fileName` in the printer's storage root. Rejects on any FTP error. */
export async function ftpsUpload(target: FtpsTarget, fileName: string, bytes: Uint8Array, timeoutMs: number): Promise<void> {
  const client = new Client(timeoutMs);
  try {
    await client.access({
      host: target.host,
      port: target.port,
      user: 'bblp',
      password: target.accessCode,
      secure: 'implicit',
      // The printer's certificate names its serial, not its address, and is signed by Bambu's own CA.
      secureOptions: { rejectUnauthorized: false },
    });
    await client.uploadFrom(Readable.from([Buffer.from(bytes)]), fileName);
  } finally {
    client.close();
  }
}

const PLATE_GCODE = /^Metadata\/plate_(\d+)\.gcode$/;

/** The first plate's G-code path and MD5 inside a sliced 3MF, if there is one. */
export function plateGcode(bytes: Uint8Array): { path: string; md5: string } | undefined {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, { filter: (file) => PLATE_GCODE.test(file.name) });
  } catch {
    return undefined;
  }
  const path = Object.keys(entries).sort()[0];
  const data = path ? entries[path] : undefined;
  if (!path || !data) return undefined;
  return { path, md5: createHash('md5').update(data).digest('hex') };
}

/** The `print` request that starts a stored file (project_file for 3MF, gcode_file otherwise). */
export function startRequest(fileName: string, plate: { path: string; md5: string } | undefined): Record<string, unknown> {
  if (!/\.3mf$/i.test(fileName)) return { command: 'gcode_file', param: fileName };
  const name = fileName.replace(/\.gcode\.3mf$|\.3mf$/i, '');
  return {
    command: 'project_file',
    param: plate?.path ?? 'Metadata/plate_1.gcode',
    url: `ftp:///${fileName}`,
    file: fileName,
    ...(plate ? { md5: plate.md5 } : {}),
    subtask_name: name,
    project_id: '0',
    profile_id: '0',
    task_id: '0',
    subtask_id: '0',
    bed_type: 'auto',
    bed_leveling: true,
    flow_cali: false,
    vibration_cali: false,
    layer_inspect: false,
    timelapse: false,
    use_ams: false,
  };
}
