import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { StrictMode, useEffect, useState, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { createQueryClient, resumeSession, ShopContext, type Shop } from './shop';
import './styles.css';

/** What every page of an app gets: whether the shop answers, and a way to ask again. */
export interface Availability {
  unavailable: boolean;
  onRetry: () => void;
}

/**
 * Starts one of the two apps (storefront, admin) in #root: its query client (a 503 anywhere raises
 * the retry banner), the kept session resumed before the first page, and the providers around
 * `routes`. Returns the query client.
 */
export function mountApp(shop: Shop, routes: (availability: Availability) => ReactNode): QueryClient {
  let setUnavailable: (value: boolean) => void = () => undefined;
  const queryClient = createQueryClient((value) => setUnavailable(value));

  function App() {
    const [unavailable, setFlag] = useState(false);
    const [ready, setReady] = useState(false);
    setUnavailable = setFlag;
    useEffect(() => {
      void resumeSession(shop).finally(() => setReady(true));
    }, []);
    if (!ready) return null;
    const onRetry = () => {
      setFlag(false);
      void queryClient.refetchQueries({ type: 'active' });
    };
    return routes({ unavailable, onRetry });
  }

  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <ShopContext.Provider value={shop}>
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            <App />
          </BrowserRouter>
        </QueryClientProvider>
      </ShopContext.Provider>
    </StrictMode>,
  );
  return queryClient;
}
