import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { createMessagingMetrics, createOutboxMetrics } from '@shop/messaging';
import { createMetrics } from '@shop/platform';
import { registerBreakerGauge } from '@shop/gateway/src/app';
import { root } from './workspace.js';

describe('README: the metrics every process exports', () => {
  it('then each metric a process registers (beyond prom-client\'s process_* and nodejs_* defaults) has its row in the README', () => {
    // The registry of a service process, with everything a service and the gateway add to theirs.
    const { registry } = createMetrics('metrics-doc');
    createMessagingMetrics(registry);
    createOutboxMetrics(registry, async () => 0);
    registerBreakerGauge(registry, new Map());
    const names = registry
      .getMetricsAsArray()
      .map((metric) => metric.name)
      .filter((name) => !/^(process|nodejs)_/.test(name));
    expect(names).to.include.members(['http_request_duration_seconds', 'outbox_oldest_unsent_age_seconds', 'service_client_circuit_breaker_state']);
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    for (const name of names) expect(readme, `README documents ${name}`).to.match(new RegExp(`\\| \`${name}\` \\|`));
    expect(readme).to.contain('| `process_*`, `nodejs_*` |');
  });
});
