import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ProductList } from '../src/pages/ProductList';
import { createQueryClient } from '../src/shop';
import { fakeShop, json } from './fake-shop';

/** The storefront's query client, without the waits between its retries. */
function queryClient(onUnavailable: (unavailable: boolean) => void) {
  const client = createQueryClient(onUnavailable);
  const defaults = client.getDefaultOptions();
  client.setDefaultOptions({ ...defaults, queries: { ...defaults.queries, retryDelay: 0 } });
  return client;
}

afterEach(cleanup);

describe('a shop that does not answer', () => {
  it('when the product list is answered 503, then it is asked three times, the page says so in a sentence and the retry banner is raised', async () => {
    const flags: boolean[] = [];
    const fake = fakeShop(
      () => json(503, { error: { code: 'SERVICE_UNAVAILABLE', message: 'catalog unavailable', details: {} } }),
      undefined,
      undefined,
      queryClient((flag) => flags.push(flag)),
    );

    render(fake.wrap(<ProductList />));

    expect((await screen.findByRole('alert')).textContent).toBe('The shop is busy right now. Try again in a moment.');
    expect(fake.requests.filter((r) => r.url.includes('/products'))).toHaveLength(3);
    expect(flags).toContain(true);
  });

  it('when a read is refused with a 4xx, then it is not retried and no banner is raised', async () => {
    const flags: boolean[] = [];
    const fake = fakeShop(
      () => json(400, { error: { code: 'VALIDATION_ERROR', message: 'bad query', details: {} } }),
      undefined,
      undefined,
      queryClient((flag) => flags.push(flag)),
    );

    render(fake.wrap(<ProductList />));

    expect((await screen.findByRole('alert')).textContent).toBe('Some fields need your attention.');
    expect(fake.requests).toHaveLength(1);
    expect(flags).not.toContain(true);
  });
});
