/**
 * How parts of the embedded cluster that are not plain REST (logs, exec/attach, port-forward,
 * metrics.k8s.io) plug into its HTTPS server. The server authenticates the request first, then
 * offers it to each plugin in order before answering 404.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/** One entry of an APIResourceList, as served by discovery. */
export interface ApiResourceInfo {
  name: string;
  singularName: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  group?: string;
  version?: string;
}

export interface DiscoveryGroup {
  group: string;
  version: string;
  resources: ApiResourceInfo[];
}

export interface SimPlugin {
  name: string;
  /** Extra API group versions to list in /apis and serve at /apis/<group>/<version>. */
  discovery?: DiscoveryGroup[];
  /** Handles a plain HTTP request; resolves true when it answered it. */
  http?(req: IncomingMessage, res: ServerResponse, url: URL): boolean | Promise<boolean>;
  /** Handles an HTTP upgrade (WebSocket, SPDY); returns true when it took the socket. */
  upgrade?(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): boolean;
}
