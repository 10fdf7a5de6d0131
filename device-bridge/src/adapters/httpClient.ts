/**
 * HTTP for polling adapters: node:http without keep-alive (nothing stays open after a test),
 * a deadline per request, and a cap on the response size. Never rejects.
 */
import http from 'node:http';
import https from 'node:https';
import { randomBytes } from 'node:crypto';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  timeoutMs: number;
  maxBytes: number;
}

export type HttpResult =
  | { kind: 'response'; status: number; body: string }
  | { kind: 'too_large'; status: number; bytes: number }
  | { kind: 'timeout' }
  | { kind: 'network'; message: string };

export function httpRequest(request: HttpRequest): Promise<HttpResult> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: HttpResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(result);
    };
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      resolve({ kind: 'network', message: `invalid URL ${request.url}` });
      return;
    }
    const body = typeof request.body === 'string' ? Buffer.from(request.body) : request.body;
    const transport = url.protocol === 'https:' ? https : http;
    const req = transport.request(url, {
      method: request.method,
      agent: false,
      headers: { connection: 'close', ...request.headers, ...(body ? { 'content-length': String(body.byteLength) } : {}) },
      rejectUnauthorized: false,
    });
    const deadline = setTimeout(() => {
      finish({ kind: 'timeout' });
      req.destroy();
    }, request.timeoutMs);
    req.on('error', (error) => finish({ kind: 'network', message: error.message }));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.byteLength;
        if (bytes > request.maxBytes) {
          finish({ kind: 'too_large', status: res.statusCode ?? 0, bytes });
          req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () =>
        finish({ kind: 'response', status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', (error) => finish({ kind: 'network', message: error.message }));
    });
    req.end(body);
  });
}

/** A multipart/form-data body with text fields and one file, as Moonraker and OctoPrint expect. */
export function multipartBody(
  fields: Record<string, string>,
  file: { field: string; name: string; bytes: Uint8Array },
): { body: Buffer; contentType: string } {
  const boundary = `----fleetsync${randomBytes(12).toString('hex')}`;
  const parts: Buffer[] = [];
  const safeName = file.name.replace(/["\r\n]/g, '_');
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${safeName}"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    Buffer.from(file.bytes),
    Buffer.from('\r\n'),
  );
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** The reason a device gave in an error body (JSON `error`/`message`/`title`, or the text). */
export function errorReason(status: number, body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null) {
      const record = parsed as Record<string, unknown>;
      for (const key of ['error', 'message', 'title', 'text']) {
        const value = record[key];
        if (typeof value === 'string' && value !== '') return `${status}: ${value}`;
        if (typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>).message === 'string') {
          return `${status}: ${String((value as Record<string, unknown>).message)}`;
        }
      }
    }
  } catch {
    // not JSON: use the text
  }
  const text = body.trim().slice(0, 300);
  return text === '' ? `HTTP ${status}` : `${status}: ${text}`;
}
