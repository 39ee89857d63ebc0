import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Route, Routes } from 'react-router';
import { createQueryClient, createShop, resumeSession, ShopContext } from '../shop';
import '../styles.css';
import { AdminApp } from './AdminApp';

// The admin's session is kept apart from a shopper's on the same browser.
const shop = createShop('shop.admin');
let setUnavailable: (value: boolean) => void = () => undefined;
const queryClient = createQueryClient((value) => setUnavailable(value));

function Admin() {
  const [unavailable, setFlag] = useState(false);
  const [ready, setReady] = useState(false);
  setUnavailable = setFlag;
  useEffect(() => {
    void resumeSession(shop).finally(() => setReady(true));
  }, []);
  if (!ready) return null;
  return (
    <Routes>
      <Route path="/admin/*" element={<AdminApp unavailable={unavailable} onRetry={() => void queryClient.refetchQueries({ type: 'active' })} />} />
    </Routes>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ShopContext.Provider value={shop}>
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <Admin />
        </BrowserRouter>
      </QueryClientProvider>
    </ShopContext.Provider>
  </StrictMode>,
);
