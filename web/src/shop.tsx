import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { createContext, useContext, useSyncExternalStore } from 'react';
import { createApi, type Api } from './api/client';
import { ApiError } from './api/errors';
import { Session, type Customer } from './api/session';

/** What every page of a browser app uses: the session and the typed API client over it. */
export interface Shop {
  session: Session;
  api: Api;
}

export const ShopContext = createContext<Shop | undefined>(undefined);

export function createShop(storageKey = 'shop'): Shop {
  const session = new Session({ baseUrl: '/api/v1', storageKey });
  return { session, api: createApi(session) };
}

/** A session kept from an earlier visit is resumed (a new access token, the profile) before the pages show. */
export async function resumeSession(shop: Shop): Promise<void> {
  if (!shop.session.hasStoredSession()) return;
  // The request renews the access token from the kept refresh token first.
  const { data } = await shop.api.GET('/customers/me').catch(() => ({ data: undefined }));
  if (data) shop.session.updateCustomer(data as Customer);
}

export function useShop(): Shop {
  const shop = useContext(ShopContext);
  if (!shop) throw new Error('useShop outside ShopContext');
  return shop;
}

export function useSession() {
  const { session } = useShop();
  return useSyncExternalStore(session.subscribe, session.getState);
}

/** Queries whose answers belong to the signed-in person (their cart is keyed by their id already). */
const PERSONAL_QUERIES = new Set(['me', 'addresses', 'orders', 'order']);

/**
 * Drops the cached answers of the person who was signed in whenever someone else, or nobody, is
 * signed in, so the next person on the same tab never sees the last one's profile, addresses or
 * orders, not even for a moment. Returns the unsubscribe.
 */
export function forgetPersonalQueriesOnSessionChange(session: Session, client: QueryClient): () => void {
  let signedIn = session.getState().customer?.id;
  return session.subscribe(() => {
    const now = session.getState().customer?.id;
    if (now === signedIn) return;
    signedIn = now;
    client.removeQueries({ predicate: (query) => PERSONAL_QUERIES.has(String(query.queryKey[0])) });
  });
}

/** Reads retry (twice, not for a 4xx); writes never do. A 503 anywhere shows the retry banner. */
export function createQueryClient(onUnavailable: (unavailable: boolean) => void): QueryClient {
  const watch = (error: unknown) => {
    if (error instanceof ApiError && (error.status === 503 || error.status === 0)) onUnavailable(true);
  };
  return new QueryClient({
    queryCache: new QueryCache({ onError: watch, onSuccess: () => onUnavailable(false) }),
    mutationCache: new MutationCache({ onError: watch }),
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        retry: (failures, error) => failures < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      },
      mutations: { retry: false },
    },
  });
}
