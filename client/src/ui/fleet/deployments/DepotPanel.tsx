/** The artifact depot: list of uploaded artifacts and an upload (content-addressed by SHA-256). */
import { useId, useState } from 'react';
import { ApiError } from '../../../api/apiError.js';
import { describeError, useFarmApi, withOrg } from '../../farm/api/farmApi.js';
import { listOf, num, str } from '../../farm/api/parse.js';
import { useFarmQuery } from '../../farm/api/useFarmQuery.js';
import { formatBytes, formatWhen } from '../../farm/common/format.js';
import { LoadState } from '../../farm/common/LoadState.js';

interface Artifact {
  sha256: string;
  fileName: string;
  size: number | undefined;
  createdAt: string | undefined;
}
const parseArtifacts = (body: unknown): Artifact[] =>
  listOf(
    body,
    (a) => {
      const sha256 = str(a.sha256);
      return sha256
        ? { sha256, fileName: str(a.fileName) ?? sha256.slice(0, 12), size: num(a.size), createdAt: str(a.createdAt) }
        : null;
    },
    'artifacts',
  );

async function sha256Hex(data: ArrayBuffer): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', data);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function DepotPanel({ orgId, canUpload }: { orgId: string; canUpload: boolean }) {
  const id = useId();
  const api = useFarmApi();
  const { state, reload } = useFarmQuery(withOrg('/api/fleet/depot', orgId), parseArtifacts);
  const [file, setFile] = useState<File | null>(null);
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);

  const upload = async () => {
    if (!file) return;
    setBusy(true);
    setMessage('Uploading…');
    try {
      const bytes = await file.arrayBuffer();
      const sha = await sha256Hex(bytes);
      const path = `/api/fleet/depot/${sha}?orgId=${encodeURIComponent(orgId)}&fileName=${encodeURIComponent(file.name)}`;
      const token = api.token();
      const res = await fetch(path, {
        method: 'PUT',
        headers: { 'content-type': 'application/octet-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: bytes,
      });
      if (!res.ok) {
        const body = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
        throw new ApiError(res.status, body.error?.code ?? `HTTP_${res.status}`, body.error?.message ?? res.statusText);
      }
      setMessage(`Uploaded ${file.name} (sha256 ${sha.slice(0, 12)}…).`);
      setFile(null);
      reload();
    } catch (err) {
      setMessage(`Upload failed: ${describeError(err)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby={`${id}-h`} className="depot-panel">
      <h3 id={`${id}-h`}>Artifacts in the depot</h3>
      {canUpload && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void upload();
          }}
        >
          <label htmlFor={`${id}-file`}>Artifact file</label>
          <input id={`${id}-file`} type="file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          <button type="submit" disabled={!file || busy}>
            Upload artifact
          </button>
        </form>
      )}
      <p role="status">{message}</p>
      <LoadState state={state} what="The artifact depot" onRetry={reload}>
        {(artifacts) =>
          artifacts.length === 0 ? (
            <p>No artifacts uploaded yet.</p>
          ) : (
            <table className="doc-table">
              <caption className="visually-hidden">Artifacts</caption>
              <thead>
                <tr>
                  <th scope="col">File</th>
                  <th scope="col">Size</th>
                  <th scope="col">SHA-256</th>
                  <th scope="col">Uploaded</th>
                </tr>
              </thead>
              <tbody>
                {artifacts.map((a) => (
                  <tr key={a.sha256}>
                    <th scope="row">{a.fileName}</th>
                    <td>{formatBytes(a.size)}</td>
                    <td>
                      <code>{a.sha256.slice(0, 16)}…</code>
                    </td>
                    <td>{formatWhen(a.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </LoadState>
    </section>
  );
}
