import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import type { AddressObject, EmailAddress } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { SMTPServerAddress } from 'smtp-server';

/** A mailbox: display name (may be empty) and address. */
export interface MailAddress {
  name: string;
  address: string;
}

/** One message received over SMTP, parsed. */
export interface CapturedMail {
  /** Sink-assigned id, used by `GET /api/v1/message/:id`. */
  id: string;
  /** The Message-ID header without angle brackets (as Mailpit reports it); empty if absent. */
  messageId: string;
  from: MailAddress;
  /** The To header; the SMTP envelope recipients when the header is missing (e.g. Bcc-only mail). */
  to: MailAddress[];
  subject: string;
  /** The Date header, or the time of receipt when the header is missing. */
  date: Date;
  /** When the sink received the message. */
  received: Date;
  text: string;
  /** The HTML body, or an empty string for text-only mail. */
  html: string;
  /** Size of the raw message in bytes. */
  size: number;
}

type Waiter = { predicate: (m: CapturedMail) => boolean; resolve: (m: CapturedMail) => void; reject: (e: Error) => void };

/** In-memory store of captured mail, keeping only the newest `capacity` messages. */
export class MailStore {
  private mails: CapturedMail[] = [];
  private readonly waiters = new Set<Waiter>();

  constructor(private readonly capacity = 1000) {}

  /** Stores a mail and settles every waiter whose predicate matches it. */
  add(mail: CapturedMail): void {
    this.mails.push(mail);
    if (this.mails.length > this.capacity) this.mails.shift();
    for (const waiter of this.waiters) {
      let matches: boolean;
      try {
        matches = waiter.predicate(mail);
      } catch (err) {
        this.waiters.delete(waiter);
        waiter.reject(err instanceof Error ? err : new Error(String(err)));
        continue;
      }
      if (matches) {
        this.waiters.delete(waiter);
        waiter.resolve(mail);
      }
    }
  }

  /** All stored mail, newest first. */
  list(): CapturedMail[] {
    return [...this.mails].reverse();
  }

  get(id: string): CapturedMail | undefined {
    return this.mails.find((m) => m.id === id);
  }

  clear(): void {
    this.mails = [];
  }

  /** Resolves with the newest stored mail matching `predicate`, or the next one to arrive; rejects after `timeoutMs`. */
  waitFor(predicate: (m: CapturedMail) => boolean, timeoutMs: number): Promise<CapturedMail> {
    let existing: CapturedMail | undefined;
    try {
      existing = this.list().find(predicate);
    } catch (err) {
      return Promise.reject(err);
    }
    if (existing) return Promise.resolve(existing);

    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`mail sink: no matching mail arrived within ${timeoutMs} ms (${this.mails.length} captured)`));
      }, timeoutMs);
      const waiter: Waiter = {
        predicate,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.waiters.add(waiter);
    });
  }

  /** Rejects all pending waiters, so nothing waits for the full timeout after the sink has stopped. */
  close(): void {
    for (const waiter of this.waiters) waiter.reject(new Error('mail sink closed while waiting for mail'));
    this.waiters.clear();
  }
}

/** A running SMTP listener. */
export interface SmtpListener {
  port: number;
  close(): Promise<void>;
}

/** An SMTP reply refusing a recipient, e.g. `{ code: 550, message: 'mailbox unavailable' }` (4xx: try later, 5xx: never). */
export interface SmtpRefusal {
  code: number;
  message: string;
}

/** Decides, per recipient address, whether the sink refuses it (tests of a mail server's rejections). */
export type RecipientPolicy = (address: string) => SmtpRefusal | undefined;

/** Starts an SMTP server without auth or TLS that parses every message into `store`. */
export function startSmtp(
  store: MailStore,
  host: string,
  port: number,
  policy: () => RecipientPolicy | undefined = () => undefined,
  acceptDelayMs: () => number = () => 0,
): Promise<SmtpListener> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    disableReverseLookup: true,
    logger: false,
    // Pooled clients may keep connections open; don't hold close() for smtp-server's default 30 s.
    closeTimeout: 1000,
    onRcptTo(address, _session, callback) {
      const refusal = policy()?.(address.address);
      if (!refusal) return callback();
      callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        const envelopeTo = session.envelope.rcptTo;
        // A slow mail server (tests of what is in flight) answers only after the delay.
        setTimeout(() => {
          parseMail(raw, envelopeTo).then((mail) => {
            store.add(mail);
            callback();
          }, callback);
        }, acceptDelayMs());
      });
    },
  });

  return new Promise((resolve, reject) => {
    // smtp-server re-emits listen errors and per-connection errors (e.g. a client hanging up) here.
    // Before listening they fail the start; afterwards reject() is a no-op, which keeps them from crashing the process.
    server.on('error', reject);
    server.listen(port, host, () => {
      resolve({
        port: (server.server.address() as AddressInfo).port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

async function parseMail(raw: Buffer, envelopeTo: SMTPServerAddress[]): Promise<CapturedMail> {
  const parsed = await simpleParser(raw);
  const received = new Date();
  const to = addresses(parsed.to);
  return {
    id: randomUUID(),
    messageId: (parsed.messageId ?? '').replace(/^<|>$/g, ''),
    from: addresses(parsed.from)[0] ?? { name: '', address: '' },
    to: to.length > 0 ? to : envelopeTo.map((r) => ({ name: '', address: r.address })),
    subject: parsed.subject ?? '',
    date: parsed.date ?? received,
    received,
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : '',
    size: raw.length,
  };
}

/** Flattens address headers (and any groups in them) into plain mailboxes. */
function addresses(header: AddressObject | AddressObject[] | undefined): MailAddress[] {
  const flatten = (list: EmailAddress[]): MailAddress[] =>
    list.flatMap((a) => (a.group ? flatten(a.group) : a.address ? [{ name: a.name, address: a.address }] : []));
  return [header ?? []].flat().flatMap((h) => flatten(h.value));
}
