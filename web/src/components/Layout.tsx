import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate, useSearchParams } from 'react-router';
import { unwrap } from '../api/client';
import { useCart } from '../cart';
import { useSession, useShop } from '../shop';
import { useFocusOnNavigation } from './focus';
import { RetryBanner } from './ui';

type CategoryNode = { id: string; name: string; children: CategoryNode[] };

export function useCategories() {
  const { api } = useShop();
  return useQuery({ queryKey: ['categories'], queryFn: () => unwrap(api.GET('/categories')), staleTime: 60_000 });
}

function CategoryTree({ nodes }: { nodes: CategoryNode[] }) {
  return (
    <ul>
      {nodes.map((node) => (
        <li key={node.id}>
          <NavLink to={`/?category=${node.id}`}>{node.name}</NavLink>
          {node.children.length > 0 && <CategoryTree nodes={node.children} />}
        </li>
      ))}
    </ul>
  );
}

function SearchForm() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [q, setQ] = useState(params.get('q') ?? '');
  useEffect(() => setQ(params.get('q') ?? ''), [params]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    navigate(q.trim() ? `/?q=${encodeURIComponent(q.trim())}` : '/');
  };
  return (
    <form role="search" onSubmit={submit} className="search">
      <input type="search" aria-label="Search" placeholder="Search products" value={q} onChange={(e) => setQ(e.target.value)} />
      <button type="submit">Go</button>
    </form>
  );
}

/** Every storefront page: the header (search, categories, cart, account), the page, the banner for an unreachable shop. */
export function Layout({ unavailable, onRetry }: { unavailable: boolean; onRetry: () => void }) {
  const { session } = useShop();
  const { customer, ended } = useSession();
  const cart = useCart();
  const categories = useCategories();
  const navigate = useNavigate();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const { api } = useShop();
  const main = useRef<HTMLElement>(null);
  useFocusOnNavigation(main);
  const notice = (location.state as { notice?: string } | null)?.notice;

  useEffect(() => {
    if (ended && location.pathname !== '/signin') navigate('/signin', { state: { from: location.pathname } });
  }, [ended, location.pathname, navigate]);
  useEffect(() => setMenuOpen(false), [location.pathname, location.search]);

  const signOut = async () => {
    await api.POST('/auth/logout').catch(() => undefined);
    session.clear();
    navigate('/');
  };
  const count = cart.data?.itemCount ?? 0;

  return (
    <>
      <a href="#main" className="skip">
        Skip to content
      </a>
      <header className="top">
        <Link to="/" className="brand">
          Shop
        </Link>
        <SearchForm />
        <nav aria-label="Account" className="account-nav">
          <Link to="/cart" aria-label="Cart">
            Cart <span aria-hidden="true">({count})</span>
          </Link>
          {customer ? (
            <>
              <Link to="/orders">My orders</Link>
              <Link to="/account">Account</Link>
              <button type="button" onClick={() => void signOut()}>
                Sign out
              </button>
            </>
          ) : (
            <>
              <Link to="/signin">Sign in</Link>
              <Link to="/register">Register</Link>
            </>
          )}
        </nav>
      </header>
      {unavailable && <RetryBanner onRetry={onRetry} />}
      <div className="layout">
        <nav aria-label="Categories" className={`categories${menuOpen ? ' open' : ''}`}>
          <button type="button" className="menu-toggle" aria-expanded={menuOpen} onClick={() => setMenuOpen(!menuOpen)}>
            Categories
          </button>
          <div className="category-tree">
            <Link to="/">All products</Link>
            {categories.data && <CategoryTree nodes={categories.data.items as CategoryNode[]} />}
          </div>
        </nav>
        <main id="main" tabIndex={-1} ref={main}>
          {notice && (
            <p role="status" className="success">
              {notice}
            </p>
          )}
          <Outlet />
        </main>
      </div>
    </>
  );
}
