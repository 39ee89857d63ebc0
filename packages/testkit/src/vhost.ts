import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { AMQP_BASE_URL, RABBITMQ_MANAGEMENT_URL, runId } from './run.js';

const run = promisify(execFile);
const vhost = `shop-test-${runId}`;
let ready: Promise<string> | undefined;

/**
 * The AMQP URL of this run's own vhost, created on first use: through the management HTTP API
 * when it is enabled, else with rabbitmqctl.
 */
export function testAmqpUrl(): Promise<string> {
  ready ??= createVhost().then(() => `${AMQP_BASE_URL}/${encodeURIComponent(vhost)}`);
  return ready;
}

async function management(method: string, path: string, body?: unknown): Promise<boolean> {
  const base = new URL(RABBITMQ_MANAGEMENT_URL);
  const auth = Buffer.from(`${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`).toString('base64');
  base.username = '';
  base.password = '';
  try {
    const response = await fetch(new URL(path, base), {
      method,
      headers: { authorization: `Basic ${auth}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(3_000),
    });
    return response.ok;
  } catch {
    return false;
  }
}

async function createVhost(): Promise<void> {
  const user = decodeURIComponent(new URL(AMQP_BASE_URL).username) || 'guest';
  const name = encodeURIComponent(vhost);
  if (await management('PUT', `/api/vhosts/${name}`)) {
    await management('PUT', `/api/permissions/${name}/${user}`, { configure: '.*', write: '.*', read: '.*' });
    return;
  }
  await run('rabbitmqctl', ['add_vhost', vhost]);
  await run('rabbitmqctl', ['set_permissions', '-p', vhost, user, '.*', '.*', '.*']);
}

/** Deletes this run's vhost with everything in it. */
export async function deleteTestVhost(): Promise<void> {
  if (!ready) return;
  await ready.catch(() => undefined);
  ready = undefined;
  if (await management('DELETE', `/api/vhosts/${encodeURIComponent(vhost)}`)) return;
  await run('rabbitmqctl', ['delete_vhost', vhost]).catch(() => undefined);
}
