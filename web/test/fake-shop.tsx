import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { createApi } from '../src/api/client';
import { Session } from '../src/api/session';
import { ShopContext, type Shop } from '../src/shop';

/** A storage in memory, like localStorage. */
export function memoryStorage() {
  const items = new Map<string, string>();
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

export type Handler = (request: Request) => Response | Promise<Response>;

export const json = (status: number, body: unknown) => new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** A shop whose every request goes to `handler`, with the session and the query cache of a browser tab. */
export function fakeShop(handler: Handler, storage = memoryStorage(), now?: () => number, queryClient?: QueryClient) {
  const requests: Request[] = [];
  const session = new Session({
    baseUrl: '/api/v1',
    storage,
    now,
    fetch: async (input, init) => {
      const request = input instanceof Request ? input : new Request(String(input), init);
      requests.push(request.clone());
      return handler(request);
    },
  });
  const shop: Shop = { session, api: createApi(session) };
  const client = queryClient ?? new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const wrap = (children: ReactNode) => (
    <ShopContext.Provider value={shop}>
      <QueryClientProvider client={client}>
        <MemoryRouter>{children}</MemoryRouter>
      </QueryClientProvider>
    </ShopContext.Provider>
  );
  return { shop, session, requests, storage, wrap };
}
