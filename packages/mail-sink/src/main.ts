/**
 * Runs the mail sink standalone: `tsx src/main.ts`.
 * Environment: SMTP_PORT (default 1025) and HTTP_PORT (default 8025); 0 picks a free port.
 */
import Joi from 'joi';
import { startMailSink } from './index.js';

const HOST = '127.0.0.1';

const envSchema = Joi.object<{ SMTP_PORT: number; HTTP_PORT: number }>({
  SMTP_PORT: Joi.number().port().default(1025),
  HTTP_PORT: Joi.number().port().default(8025),
});

function log(entry: Record<string, unknown>, stream: NodeJS.WriteStream = process.stdout): void {
  stream.write(JSON.stringify({ time: new Date().toISOString(), service: 'mail-sink', ...entry }) + '\n');
}

const { value: env, error } = envSchema.validate(
  { SMTP_PORT: process.env.SMTP_PORT, HTTP_PORT: process.env.HTTP_PORT },
  { abortEarly: false },
);
if (error) {
  log({ level: 'error', msg: `invalid environment: ${error.message}` }, process.stderr);
  process.exit(1);
}

const sink = await startMailSink({ host: HOST, smtpPort: env.SMTP_PORT, httpPort: env.HTTP_PORT }).catch((err: unknown) => {
  log({ level: 'error', msg: `could not start: ${err instanceof Error ? err.message : String(err)}` }, process.stderr);
  process.exit(1);
});
log({
  level: 'info',
  msg: 'mail sink listening',
  smtp: `smtp://${HOST}:${sink.smtpPort}`,
  http: `http://${HOST}:${sink.httpPort}`,
});

let stopping = false;
async function stop(signal: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
  log({ level: 'info', msg: `received ${signal}, stopping` });
  await sink.close();
}
process.on('SIGINT', (signal) => void stop(signal));
process.on('SIGTERM', (signal) => void stop(signal));
