import express from 'express';
import type { Express, Response } from 'express';
import type { CapturedMail, MailAddress, MailStore } from './sink.js';

const DEFAULT_LIMIT = 50;
const SNIPPET_LENGTH = 250;

type MailpitAddress = { Name: string; Address: string };

/** Builds the HTTP API over `store`, using Mailpit's JSON shapes so the same tooling works against a real Mailpit. */
export function createHttpApp(store: MailStore): Express {
  const app = express();

  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/api/v1/messages', (req, res) => {
    sendList(res, store.list(), req.query.limit);
  });

  // Only `to:<address>` is supported: an exact, case-insensitive match on a To address.
  app.get('/api/v1/search', (req, res) => {
    const query = typeof req.query.query === 'string' ? req.query.query.trim() : '';
    const match = /^to:"?([^"\s]+)"?$/i.exec(query);
    if (!match?.[1]) {
      sendError(res, 400, 'UNSUPPORTED_QUERY', `unsupported search query "${query}"; only to:<address> is supported`);
      return;
    }
    const address = match[1].toLowerCase();
    sendList(res, store.list().filter((m) => m.to.some((t) => t.address.toLowerCase() === address)), req.query.limit);
  });

  app.delete('/api/v1/messages', (_req, res) => {
    store.clear();
    res.json({ status: 'ok' });
  });

  app.get('/api/v1/message/:id', (req, res) => {
    const mail = store.get(req.params.id);
    if (!mail) {
      sendError(res, 404, 'NOT_FOUND', `message ${req.params.id} not found`);
      return;
    }
    res.json({
      ID: mail.id,
      MessageID: mail.messageId,
      From: toMailpit(mail.from),
      To: mail.to.map(toMailpit),
      Subject: mail.subject,
      Date: mail.date.toISOString(),
      Text: mail.text,
      HTML: mail.html,
      Size: mail.size,
    });
  });

  app.use((req, res) => {
    sendError(res, 404, 'NOT_FOUND', `no route for ${req.method} ${req.path}`);
  });

  return app;
}

function sendList(res: Response, mails: CapturedMail[], rawLimit: unknown): void {
  const limit = rawLimit === undefined ? DEFAULT_LIMIT : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1) {
    sendError(res, 400, 'INVALID_LIMIT', 'limit must be a positive integer');
    return;
  }
  const page = mails.slice(0, limit);
  res.json({ total: mails.length, count: page.length, messages: page.map(toSummary) });
}

function toSummary(mail: CapturedMail) {
  return {
    ID: mail.id,
    MessageID: mail.messageId,
    From: toMailpit(mail.from),
    To: mail.to.map(toMailpit),
    Subject: mail.subject,
    Created: mail.received.toISOString(),
    Size: mail.size,
    Snippet: mail.text.replace(/\s+/g, ' ').trim().slice(0, SNIPPET_LENGTH),
  };
}

function toMailpit(a: MailAddress): MailpitAddress {
  return { Name: a.name, Address: a.address };
}

function sendError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}
