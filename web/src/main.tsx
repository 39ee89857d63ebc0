import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode, useEffect, useState, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Route, Routes } from 'react-router';
import { Layout } from './components/Layout';
import { Account } from './pages/Account';
import { CheckEmail, Register, SignIn, Verify } from './pages/Auth';
import { CartPage } from './pages/CartPage';
import { Checkout } from './pages/Checkout';
import { OrderPage, Orders } from './pages/Orders';
import { ProductList } from './pages/ProductList';
import { ProductPage } from './pages/ProductPage';
import { createQueryClient, createShop, forgetPersonalQueriesOnSessionChange, resumeSession, ShopContext, useSession } from './shop';
import './styles.css';

const shop = createShop('shop');
let setUnavailable: (value: boolean) => void = () => undefined;
const queryClient = createQueryClient((value) => setUnavailable(value));
forgetPersonalQueriesOnSessionChange(shop.session, queryClient);

function SignedInOnly({ children }: { children: ReactNode }) {
  const { customer } = useSession();
  return customer ? children : <SignIn />;
}

function Storefront() {
  const [unavailable, setFlag] = useState(false);
  const [ready, setReady] = useState(false);
  setUnavailable = setFlag;
  useEffect(() => {
    void resumeSession(shop).finally(() => setReady(true));
  }, []);
  if (!ready) return null;
  const retry = () => {
    setFlag(false);
    void queryClient.refetchQueries({ type: 'active' });
  };
  return (
    <Routes>
      <Route element={<Layout unavailable={unavailable} onRetry={retry} />}>
        <Route index element={<ProductList />} />
        <Route path="products/:id" element={<ProductPage />} />
        <Route path="cart" element={<CartPage />} />
        <Route path="checkout" element={<Checkout />} />
        <Route path="register" element={<Register />} />
        <Route path="check-email" element={<CheckEmail />} />
        <Route path="verify" element={<Verify />} />
        <Route path="signin" element={<SignIn />} />
        <Route path="orders" element={<SignedInOnly><Orders /></SignedInOnly>} />
        <Route path="orders/:id" element={<SignedInOnly><OrderPage /></SignedInOnly>} />
        <Route path="account" element={<SignedInOnly><Account /></SignedInOnly>} />
        <Route path="*" element={<p>This page does not exist. Go back to the products.</p>} />
      </Route>
    </Routes>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ShopContext.Provider value={shop}>
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <Storefront />
        </BrowserRouter>
      </QueryClientProvider>
    </ShopContext.Provider>
  </StrictMode>,
);
