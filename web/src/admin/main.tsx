import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Route, Routes } from 'react-router';
import { createQueryClient, createShop, ShopContext } from '../shop';
import '../styles.css';
import { AdminApp } from './AdminApp';

// The admin's session is kept apart from a shopper's on the same browser.
const shop = createShop('shop.admin');
let setUnavailable: (value: boolean) => void = () => undefined;
const queryClient = createQueryClient((value) => setUnavailable(value));

function Admin() {
  const [unavailable, setFlag] = useState(false);
  setUnavailable = setFlag;
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
