import http from 'node:http';
import https from 'node:https';

export interface WebhookPoster {
  /** POSTs the body; resolves with the receiver's status, rejects when no answer came (network, timeout, `signal`). */
  post(body: string, headers: Record<string, string>, options: { timeoutMs: number; signal: AbortSignal }): Promise<number>;
  close(): void;
}

/**
 * POSTs webhooks to one URL over kept-alive connections (node:http, which costs a fraction of
 * fetch's CPU). A redirect is an answer like any other, never followed. Idle connections close
 * before the receiver's announced keep-alive timeout runs out (the agent reads its Keep-Alive header).
 */
export function createWebhookPoster(url: string): WebhookPoster {
  const target = new URL(url);
  const transport = target.protocol === 'https:' ? https : http;
  const agent = new transport.Agent({ keepAlive: true, timeout: 60_000 });
  return {
    post(body, headers, options) {
      return new Promise((resolve, reject) => {
        const request = transport.request(target, {
          method: 'POST',
          agent,
          headers: { ...headers, 'content-length': Buffer.byteLength(body) },
          signal: AbortSignal.any([AbortSignal.timeout(options.timeoutMs), options.signal]),
        });
        request.on('error', reject);
        request.once('response', (response) => {
          // The answer's body is not read, only drained, so the connection can be used again.
          response.resume();
          response.on('error', reject);
          response.once('end', () => resolve(response.statusCode ?? 0));
        });
        request.end(body);
      });
    },
    close: () => agent.destroy(),
  };
}
