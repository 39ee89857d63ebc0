import nodemailer from 'nodemailer';
import type { MailContent } from '../domain/mail-content.js';

/** One mail to send. */
export interface OutgoingMail extends MailContent {
  to: string;
  /**
   * The mail's own id: every send of it carries the Message-ID made from it, so a copy sent again
   * (its worker died after the server took it, before recording it) is the same message to the
   * mail systems that recognise one by its Message-ID.
   */
  id?: string;
}

/** The port use cases send through; resolves once the SMTP server accepted the mail. */
export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
}

/** The SMTP mailer also answers readiness probes and closes with the service. */
export interface SmtpMailer extends Mailer {
  /** Connects and greets the server (and logs in when credentials are set); throws when it cannot. */
  verify(): Promise<void>;
  close(): void;
}

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  password?: string;
  from: string;
}

/**
 * Nodemailer over SMTP, one connection per mail (no `pool`): the worker sends a mail now and then, and a
 * pooled connection the server dropped while idle would only turn into a failed send.
 */
export function createSmtpMailer(settings: SmtpSettings): SmtpMailer {
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    auth: settings.user ? { user: settings.user, pass: settings.password } : undefined,
    connectionTimeout: 5_000,
    greetingTimeout: 5_000,
    socketTimeout: 15_000,
  });
  // The From address's domain names the shop's Message-IDs, as mail servers name theirs.
  const domain = /@([^>\s]+)>?\s*$/.exec(settings.from)?.[1] ?? 'localhost';
  return {
    async send(mail) {
      const messageId = mail.id === undefined ? undefined : `<${mail.id}@${domain}>`;
      const info = await transport.sendMail({ from: settings.from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, ...(messageId && { messageId }) });
      return { messageId: info.messageId };
    },
    async verify() {
      await transport.verify();
    },
    close() {
      transport.close();
    },
  };
}
