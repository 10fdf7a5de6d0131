/**
 * `POST /api/models/{id}/revisions` with the raw file as the body (XMLHttpRequest, for upload
 * progress). File name and changelog travel percent-encoded (UTF-8) in x-file-name and
 * x-changelog, since header values cannot hold newlines or non-ASCII text; x-sha256 is hex.
 */
import { ApiError, NETWORK_ERROR } from '../../../api/apiError.js';
import { isObject } from '../api/parse.js';
import { parseRevision, type ModelRevision } from '../api/modelTypes.js';

export interface UploadRequest {
  modelId: string;
  file: File;
  sha256: string;
  changelog: string;
  token: string | undefined;
  onProgress: (percent: number) => void;
}

function errorOf(xhr: XMLHttpRequest): ApiError {
  try {
    const body = JSON.parse(xhr.responseText) as { error?: { code?: string; message?: string } };
    return new ApiError(xhr.status, body.error?.code ?? `HTTP_${xhr.status}`, body.error?.message ?? xhr.statusText);
  } catch {
    return new ApiError(xhr.status, `HTTP_${xhr.status}`, xhr.statusText || 'the upload failed');
  }
}

export function uploadRevision(req: UploadRequest): Promise<ModelRevision | null> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/models/${encodeURIComponent(req.modelId)}/revisions`);
    if (req.token) xhr.setRequestHeader('authorization', `Bearer ${req.token}`);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('x-file-name', encodeURIComponent(req.file.name));
    xhr.setRequestHeader('x-changelog', encodeURIComponent(req.changelog));
    xhr.setRequestHeader('x-sha256', req.sha256);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) req.onProgress(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onerror = () =>
      reject(new ApiError(0, NETWORK_ERROR, 'The server cannot be reached. Check your connection and try again.'));
    xhr.onload = () => {
      if (xhr.status < 200 || xhr.status >= 300) return reject(errorOf(xhr));
      req.onProgress(100);
      try {
        const body: unknown = xhr.responseText ? JSON.parse(xhr.responseText) : null;
        const rev = isObject(body) ? (isObject(body.revision) ? body.revision : body) : null;
        resolve(rev ? parseRevision(rev) : null);
      } catch {
        resolve(null);
      }
    };
    xhr.send(req.file);
  });
}
