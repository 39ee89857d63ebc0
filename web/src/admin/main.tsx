import { Route, Routes } from 'react-router';
import { mountApp } from '../mount';
import { createShop } from '../shop';
import { AdminApp } from './AdminApp';

// The admin's session is kept apart from a shopper's on the same browser.
mountApp(createShop('shop.admin'), ({ unavailable, onRetry }) => (
  <Routes>
    <Route path="/admin/*" element={<AdminApp unavailable={unavailable} onRetry={onRetry} />} />
  </Routes>
));
