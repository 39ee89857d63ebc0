import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { unwrap, type paths } from './api/client';
import { ApiError } from './api/errors';
import { useSession, useShop } from './shop';

/** A cart as every cart answer holds it. */
export type Cart = paths['/cart']['get']['responses'][200]['content']['application/json'];
type CartBody = Cart;

export const CART_KEY = ['cart'] as const;

/** The shopper's cart: a customer's, a guest's (by the token kept in storage), or none yet. */
export function useCart() {
  const { api, session } = useShop();
  const { customer } = useSession();
  const hasCart = Boolean(customer) || Boolean(session.guestCartToken());
  return useQuery({
    queryKey: [...CART_KEY, customer?.id ?? 'guest'],
    enabled: hasCart,
    queryFn: async (): Promise<CartBody> => {
      try {
        return await unwrap(api.GET('/cart'));
      } catch (error) {
        // A guest token the cart service no longer knows (expired, merged): start afresh.
        if (!customer && error instanceof ApiError && error.status === 401) {
          session.setGuestCartToken(undefined);
          return { cartId: '', items: [], itemCount: 0, total: { amount: 0, currency: 'USD' }, updatedAt: '' };
        }
        throw error;
      }
    },
  });
}

/** Adds a line, creating a guest cart first for a shopper who is not signed in. */
export function useAddToCart() {
  const { api, session } = useShop();
  const { customer } = useSession();
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (line: { productId: string; variantId?: string; quantity: number }) => {
      if (!customer && !session.guestCartToken()) {
        const guest = await unwrap(api.POST('/carts/guest'));
        session.setGuestCartToken(guest.cartToken);
      }
      return unwrap(api.POST('/cart/items', { body: line }));
    },
    onSuccess: (cart) => client.setQueryData([...CART_KEY, customer?.id ?? 'guest'], cart),
  });
}

/** A cart write whose answer is the cart: the cached cart is replaced by it. */
export function useCartWrite<V>(write: (variables: V) => Promise<CartBody>) {
  const { customer } = useSession();
  const client = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: (cart) => client.setQueryData([...CART_KEY, customer?.id ?? 'guest'], cart),
  });
}
