import type { ReactNode } from 'react';
import { Route, Routes } from 'react-router';
import { Layout } from './components/Layout';
import { Account } from './pages/Account';
import { CheckEmail, Register, SignIn, Verify } from './pages/Auth';
import { CartPage } from './pages/CartPage';
import { Checkout } from './pages/Checkout';
import { OrderPage, Orders } from './pages/Orders';
import { ProductList } from './pages/ProductList';
import { ProductPage } from './pages/ProductPage';
import { mountApp } from './mount';
import { createShop, forgetPersonalQueriesOnSessionChange, useSession } from './shop';

const shop = createShop('shop');

function SignedInOnly({ children }: { children: ReactNode }) {
  const { customer } = useSession();
  return customer ? children : <SignIn />;
}

const queryClient = mountApp(shop, ({ unavailable, onRetry }) => (
  <Routes>
    <Route element={<Layout unavailable={unavailable} onRetry={onRetry} />}>
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
));
forgetPersonalQueriesOnSessionChange(shop.session, queryClient);
