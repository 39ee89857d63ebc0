/**
 * Operator tool for what waits aside on the broker. `pnpm exec tsx scripts/replay-parked.ts <queue>`
 * shows how many events wait in `<queue>.parked`; add `--replay [limit]` to move them back into the
 * queue once the cause is fixed. `--unroutable` instead of a queue looks at `shop.events.unroutable`
 * (events no queue took), and with `--replay` publishes them again to `shop.events`. AMQP_URL picks
 * the broker (and vhost).
 */
import { connectBroker, countMessages, countParked, replayParked, replayUnroutable, UNROUTABLE_QUEUE } from '@shop/messaging';
import { createLogger } from '@shop/platform';

const [target, flag, limit] = process.argv.slice(2);
if (!target || (flag && flag !== '--replay')) {
  console.error('usage: replay-parked.ts <queue>|--unroutable [--replay [limit]]   e.g. notification.emails --replay');
  process.exit(2);
}
const broker = connectBroker({ url: process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672', name: 'replay-parked', logger: createLogger('replay-parked', 'warn') });
const max = limit ? Number(limit) : undefined;
try {
  if (target === '--unroutable') {
    console.log(`${await countMessages(broker, UNROUTABLE_QUEUE)} event(s) kept in ${UNROUTABLE_QUEUE}`);
    if (flag) console.log(`${await replayUnroutable(broker, max)} event(s) published again to shop.events`);
  } else {
    console.log(`${await countParked(broker, target)} event(s) parked in ${target}.parked`);
    if (flag) console.log(`${await replayParked(broker, target, max)} event(s) moved back into ${target}`);
  }
} finally {
  await broker.close();
}
