/** Writing Kubernetes Status errors on plain responses and on upgrade sockets. */
import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { STATUS_CODES } from 'node:http';
import { ApiError } from '../errors.js';

export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  return new ApiError(500, 'InternalError', `Internal error occurred: ${(e as Error)?.message ?? String(e)}`);
}

export function sendStatus(res: ServerResponse, e: unknown): void {
  const err = toApiError(e);
  const body = JSON.stringify(err.toStatus());
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(err.code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** Answers an upgrade request with a Status instead of 101, then closes the socket. */
export function rejectUpgrade(socket: Duplex, e: unknown): void {
  const err = toApiError(e);
  const body = JSON.stringify(err.toStatus());
  socket.on('error', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${err.code} ${STATUS_CODES[err.code] ?? 'Error'}\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
