import { AppError } from './errors.js';

/**
 * An error that says "not now": the same work may well succeed later (a dependency is down, an
 * event arrived before the one it builds on). Consumers retry it with backoff instead of parking.
 */
export class TransientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransientError';
  }
}

// Socket-level failures of any client (pg, amqplib, nodemailer, fetch's undici cause).
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_HEADERS_TIMEOUT',
  // nodemailer's names for a server it cannot reach or that hung up
  'ECONNECTION',
  'ESOCKET',
  'EDNS',
]);

// PostgreSQL SQLSTATEs that say "try again": connection exceptions (class 08), shutdowns and
// restarts, too many connections, serialization failures and deadlocks, a statement timeout.
const TRANSIENT_SQLSTATE = /^(08...|57P0[123]|53300|53400|40001|40P01|57014|55P03)$/;

// pg and nodemailer report a connection lost mid-conversation with a message only.
const TRANSIENT_MESSAGES = [
  'Connection terminated',
  'connection timeout',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Client was closed and is not queryable',
  'terminating connection',
  'Unexpected socket close',
  'Connection closed unexpectedly',
  'Greeting never received',
  'socket hang up',
];

/**
 * Whether an error is worth retrying: a dependency (PostgreSQL, RabbitMQ, SMTP, a service) was
 * unreachable, slow or busy. Anything else (invalid data, a bug, a permanent SMTP rejection) is
 * permanent: retrying it would fail the same way.
 */
export function isTransientError(err: unknown): boolean {
  for (let current: unknown = err, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth += 1) {
    if (current instanceof TransientError) return true;
    if (current instanceof AppError) return current.code === 'SERVICE_UNAVAILABLE';
    const { code, responseCode, message } = current as { code?: unknown; responseCode?: unknown; message?: unknown };
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || TRANSIENT_SQLSTATE.test(code))) return true;
    // SMTP: 4xx is "try later", 5xx is a permanent rejection.
    if (typeof responseCode === 'number') return responseCode >= 400 && responseCode < 500;
    if (typeof message === 'string' && TRANSIENT_MESSAGES.some((m) => message.includes(m))) return true;
  }
  return false;
}
