import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpApp } from './http.js';
import { MailStore, startSmtp } from './sink.js';
import type { CapturedMail, RecipientPolicy } from './sink.js';

export type { CapturedMail, MailAddress, RecipientPolicy, SmtpRefusal } from './sink.js';

/** Where the sink listens. Port 0 picks a free port; the real one is reported on {@link MailSink}. */
export interface MailSinkOptions {
  /** SMTP port; default 1025. */
  smtpPort?: number;
  /** HTTP (Mailpit-compatible API) port; default 8025. */
  httpPort?: number;
  /** Interface for both listeners; default 127.0.0.1. */
  host?: string;
}

/** A running mail sink. */
export interface MailSink {
  /** The port SMTP actually listens on. */
  readonly smtpPort: number;
  /** The port the HTTP API actually listens on. */
  readonly httpPort: number;
  /** Captured mail, newest first (at most the newest 1000). */
  messages(): CapturedMail[];
  /**
   * Resolves with a mail matching `predicate`: the newest one already captured, otherwise the next to arrive.
   * Rejects if none arrives within `timeoutMs`, or if the sink is closed meanwhile.
   */
  waitForMail(predicate: (m: CapturedMail) => boolean, timeoutMs?: number): Promise<CapturedMail>;
  /** Forgets all captured mail. */
  clear(): void;
  /** Refuses recipients from now on as the policy decides (undefined: accept every one again). */
  refuseRecipients(policy: RecipientPolicy | undefined): void;
  /** Answers each mail only this long after it was sent (0: at once), as a slow mail server would. */
  delayAcceptance(ms: number): void;
  /** Stops both listeners and rejects pending {@link MailSink.waitForMail} calls. */
  close(): Promise<void>;
}

/** Starts the SMTP sink and its HTTP API. */
export async function startMailSink(options: MailSinkOptions = {}): Promise<MailSink> {
  const { smtpPort = 1025, httpPort = 8025, host = '127.0.0.1' } = options;
  const store = new MailStore();
  let policy: RecipientPolicy | undefined;
  let acceptDelayMs = 0;
  const smtp = await startSmtp(store, host, smtpPort, () => policy, () => acceptDelayMs);

  let http: Server;
  try {
    http = await listen(createServer(createHttpApp(store)), host, httpPort);
  } catch (err) {
    await smtp.close();
    throw err;
  }

  return {
    smtpPort: smtp.port,
    httpPort: (http.address() as AddressInfo).port,
    messages: () => store.list(),
    waitForMail: (predicate, timeoutMs = 10_000) => store.waitFor(predicate, timeoutMs),
    clear: () => store.clear(),
    refuseRecipients(next) {
      policy = next;
    },
    delayAcceptance(ms) {
      acceptDelayMs = ms;
    },
    async close() {
      store.close();
      const httpClosed = new Promise<void>((resolve) => http.close(() => resolve()));
      // Keep-alive clients (fetch included) would otherwise hold close() open.
      http.closeAllConnections();
      await Promise.all([httpClosed, smtp.close()]);
    },
  };
}

function listen(server: Server, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
