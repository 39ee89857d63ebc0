import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useEffect, useRef, useState } from 'react';
import { Link, MemoryRouter, Outlet, Route, Routes, useNavigate } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { useFocusOnNavigation } from '../src/components/focus';

/** A layout like the storefront's: links outside the page region, the page inside it. */
function Frame() {
  const main = useRef<HTMLElement>(null);
  useFocusOnNavigation(main);
  return (
    <>
      <nav>
        <Link to="/products/1">The kettle</Link> <Link to="/slow">A slow page</Link>
      </nav>
      <main tabIndex={-1} ref={main}>
        <Outlet />
      </main>
    </>
  );
}

/** A page that loads before its heading shows. */
function SlowPage() {
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setLoaded(true), 30);
    return () => clearTimeout(timer);
  }, []);
  return loaded ? <h1>Slow page</h1> : <p>Loading…</p>;
}

function Home() {
  const navigate = useNavigate();
  return (
    <>
      <h1>Products</h1>
      <button type="button" onClick={() => navigate('/?q=tea')}>
        Filter
      </button>
    </>
  );
}

function renderAt(path: string) {
  return render(
    <MemoryRouter initialEntries={[path]}>
      <Routes>
        <Route element={<Frame />}>
          <Route index element={<Home />} />
          <Route path="products/:id" element={<h1>Kettle</h1>} />
          <Route path="slow" element={<SlowPage />} />
        </Route>
      </Routes>
    </MemoryRouter>,
  );
}

afterEach(cleanup);

describe('focus after a client-side route change', () => {
  it('when the first page of a visit shows, then the focus stays where the browser put it', () => {
    renderAt('/');
    expect(document.activeElement).toBe(document.body);
  });

  it('when a link opens another page, then the focus is on that page’s main heading', async () => {
    renderAt('/');
    fireEvent.click(screen.getByRole('link', { name: 'The kettle' }));
    const heading = await screen.findByRole('heading', { name: 'Kettle' });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    expect(heading.getAttribute('tabindex')).toBe('-1');
  });

  it('when the new page loads first, then the focus is on the page region meanwhile and on the heading once it shows', async () => {
    renderAt('/');
    fireEvent.click(screen.getByRole('link', { name: 'A slow page' }));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('main')));
    const heading = await screen.findByRole('heading', { name: 'Slow page' });
    await waitFor(() => expect(document.activeElement).toBe(heading));
  });

  it('when only the query changes (a filter on the same page), then the focus stays on what the person used', async () => {
    renderAt('/');
    const filter = screen.getByRole('button', { name: 'Filter' });
    filter.focus();
    fireEvent.click(filter);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(document.activeElement).toBe(filter);
  });
});
