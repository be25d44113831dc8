/**
 * The channel.k8s.io WebSocket framing used by exec, attach (and client-node port-forward):
 * every binary message starts with a channel byte. v5 adds 255 = "close this channel".
 */
import type { WebSocket } from 'ws';

export const STDIN = 0;
export const STDOUT = 1;
export const STDERR = 2;
export const STATUS = 3;
export const RESIZE = 4;
export const CLOSE = 255;

export const EXEC_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

export function pickProtocol(offered: string[], supported = EXEC_PROTOCOLS): string | undefined {
  return supported.find((p) => offered.includes(p));
}

export function sendChannel(ws: WebSocket, channel: number, data: string | Buffer, sent?: () => void): void {
  if (ws.readyState !== ws.OPEN) { sent?.(); return; }
  const body = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  ws.send(Buffer.concat([Buffer.from([channel]), body]), { binary: true }, () => sent?.());
}

/** Parses a resize message; kubectl sends {"Width","Height"}, client-node {"width","height"}. */
export function parseResize(body: Buffer): { cols: number; rows: number } | undefined {
  try {
    const o = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    const get = (k: string) => Number(Object.entries(o).find(([key]) => key.toLowerCase() === k)?.[1]);
    const cols = get('width');
    const rows = get('height');
    if (!(cols > 0) || !(rows > 0)) return undefined;
    return { cols: Math.min(cols, 1000), rows: Math.min(rows, 1000) };
  } catch {
    return undefined;
  }
}

export function exitStatus(code: number, argv: string[]): Record<string, unknown> {
  if (code === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${argv.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}
