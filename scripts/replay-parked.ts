/**
 * Operator tool for a consumer's parking lot: `pnpm exec tsx scripts/replay-parked.ts <queue>`
 * shows how many events wait in `<queue>.parked`; add `--replay [limit]` to move them back into
 * the queue once the cause is fixed. AMQP_URL picks the broker (and vhost).
 */
import { connectBroker, countParked, replayParked } from '@shop/messaging';
import { createLogger } from '@shop/platform';

const [queue, flag, limit] = process.argv.slice(2);
if (!queue || (flag && flag !== '--replay')) {
  console.error('usage: replay-parked.ts <queue> [--replay [limit]]   e.g. notification.emails --replay');
  process.exit(2);
}
const broker = connectBroker({ url: process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672', name: 'replay-parked', logger: createLogger('replay-parked', 'warn') });
try {
  console.log(`${await countParked(broker, queue)} event(s) parked in ${queue}.parked`);
  if (flag) console.log(`${await replayParked(broker, queue, limit ? Number(limit) : undefined)} event(s) moved back into ${queue}`);
} finally {
  await broker.close();
}
