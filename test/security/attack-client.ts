import http from 'node:http';
import type { LedgerRow } from './ledger';

/** An answer as the attacker sees it: status, headers, the raw text and, when it is JSON, the parsed body. */
export interface AttackAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  body: any;
}

export interface AttackRequest {
  method: string;
  /** Sent byte for byte as the request target: no URL parser normalizes `..`, `//` or percent escapes away. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
  token?: string;
}

/**
 * An HTTP client for attacks on the gateway: raw request targets, and its own loopback source
 * address, so the gateway's per-IP rate limits count the attack apart from other clients (the
 * fixture's limits are generous, but the attack must never throttle a test beside it, nor be
 * throttled by one). Every request and every 5xx is counted in the row of the attack under way.
 */
export function attackClient(gatewayUrl: string, sourceAddress: string) {
  const { hostname, port } = new URL(gatewayUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8, localAddress: sourceAddress });
  let counting: LedgerRow | undefined;

  function send(request: AttackRequest): Promise<AttackAnswer> {
    const headers: Record<string, string> = { ...request.headers };
    if (request.token) headers.authorization = `Bearer ${request.token}`;
    if (request.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      headers['content-length'] = String(Buffer.byteLength(request.body));
    }
    return new Promise((resolve, reject) => {
      const outgoing = http.request({ host: hostname, port, method: request.method, path: request.path, headers, agent }, (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', reject);
        incoming.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = incoming.statusCode ?? 0;
          if (counting && status >= 500) counting.serverErrors += 1;
          resolve({ status, headers: incoming.headers, text, body: parsed(text) });
        });
      });
      outgoing.on('error', reject);
      if (counting) counting.requests += 1;
      outgoing.end(request.body);
    });
  }

  return {
    send,
    /** From now on, requests and 5xx count in this row. */
    countIn(row: LedgerRow) {
      counting = row;
    },
    close: () => agent.destroy(),
  };
}

export type AttackClient = ReturnType<typeof attackClient>;

function parsed(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}

/** Signs of an answer that says more than it should: a stack trace, a source path, SQL or a driver's error. */
const INTERNALS = [/\n\s+at [^\n]+[:(]/, /node_modules/, /\.ts:\d+/, /\bSELECT\b[\s\S]+\bFROM\b/i, /\bsyntax error at\b/i, /\bduplicate key value\b/, /\bECONNREFUSED\b/];

/** Whether an answer shows the server's internals. */
export function showsInternals(answer: AttackAnswer): boolean {
  return INTERNALS.some((pattern) => pattern.test(answer.text));
}
