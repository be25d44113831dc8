/** Small HTTP helpers of the API server: bodies with limits, JSON replies, Status errors. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import YAML from 'yaml';
import { ApiError, badRequest } from '../errors.js';
import { decodeProtobufBody } from './protobuf.js';

export const MAX_BODY = 3 * 1024 * 1024;

/**
 * Reads the whole body; bodies over MAX_BODY are drained and answered 413. Protobuf bodies are
 * returned as latin1 text so that every byte survives (Buffer.from(body, 'latin1')).
 */
export function readBody(req: IncomingMessage): Promise<string> {
  const binary = isProtobuf(String(req.headers['content-type'] ?? ''));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        tooBig = true;
        chunks.length = 0;
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (tooBig) reject(new ApiError(413, 'RequestEntityTooLarge', `the request body is too large: ${size} bytes, limit is ${MAX_BODY}`));
      else resolve(Buffer.concat(chunks).toString(binary ? 'latin1' : 'utf8'));
    });
    req.on('error', reject);
  });
}

export function isProtobuf(contentType: string | undefined): boolean {
  return /application\/vnd\.kubernetes\.protobuf/i.test(contentType ?? '');
}

export function unsupportedProtobuf(): ApiError {
  return new ApiError(415, 'UnsupportedMediaType',
    'the server cannot decode application/vnd.kubernetes.protobuf bodies for this request; send JSON');
}

/** Parses a JSON (or YAML) request body into an object, with the apiserver's 400 message. */
export function decodeBody(raw: string, contentType: string | undefined): unknown {
  if (!raw.length) throw badRequest('the request body is empty; expected a JSON object');
  // kubectl's generator commands (create deployment/configmap/secret/namespace/…) send protobuf.
  if (isProtobuf(contentType)) return decodeProtobufBody(Buffer.from(raw, 'latin1'));
  if (!raw.trim()) throw badRequest('the request body is empty; expected a JSON object');
  if (/yaml/i.test(contentType ?? '')) {
    try {
      return YAML.parse(raw);
    } catch (e) {
      throw badRequest(`couldn't decode YAML body: ${(e as Error).message}`);
    }
  }
  try {
    return JSON.parse(raw);
  } catch (e) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`);
  }
}

export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' });
  res.end(text);
}

export function sendError(res: ServerResponse, err: unknown): void {
  const e = err instanceof ApiError ? err : new ApiError(500, 'InternalError', `Internal error occurred: ${(err as Error)?.message ?? String(err)}`);
  sendJson(res, e.code, e.toStatus());
}

export function statusSuccess(details?: Record<string, unknown>): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', ...(details ? { details } : {}) };
}
