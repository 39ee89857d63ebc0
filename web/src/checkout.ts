import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef } from 'react';
import { unwrap, type Api } from './api/client';
import { ApiError } from './api/errors';
import { CART_KEY } from './cart';

const KEY = 'shop.checkoutKey';

type Store = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/**
 * The checkout's Idempotency-Key: made once and kept in the tab's storage until the shop gives a
 * final answer, so a double click or a reload during Place order sends the same key and the shop
 * makes one order.
 */
export function checkoutKey(storage: Store = sessionStorage): string {
  let key = storage.getItem(KEY);
  if (!key) {
    key = crypto.randomUUID();
    storage.setItem(KEY, key);
  }
  return key;
}

export type PlaceOrderInput = {
  shippingAddressId: string;
  payment: { method: 'card'; cardNumber: string; expMonth: number; expYear: number; cvc: string } | { method: 'paypal' };
};

/**
 * Place order: one request at a time, the same key until the answer is final. An order or a
 * refusal (4xx: a declined card, an empty cart) ends the key: the next attempt is a new order. A
 * network failure or a 5xx keeps it: trying again may only find the order already made.
 */
export function usePlaceOrder(api: Api, storage: Store = sessionStorage) {
  const client = useQueryClient();
  const inFlight = useRef(false);
  const mutation = useMutation({
    mutationFn: async (input: PlaceOrderInput) => {
      const order = await unwrap(api.POST('/orders', { body: input, params: { header: { 'Idempotency-Key': checkoutKey(storage) } } }));
      return order;
    },
    onSuccess: () => {
      storage.removeItem(KEY);
      void client.invalidateQueries({ queryKey: CART_KEY });
      void client.invalidateQueries({ queryKey: ['orders'] });
    },
    onError: (error) => {
      // 409 CONFLICT: the first request with this key still runs (a reload mid-way); its answer comes with the same key.
      if (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.code !== 'CONFLICT') storage.removeItem(KEY);
    },
    onSettled: () => {
      inFlight.current = false;
    },
  });
  const place = (input: PlaceOrderInput, options?: Parameters<typeof mutation.mutate>[1]) => {
    if (inFlight.current) return;
    inFlight.current = true;
    mutation.mutate(input, options);
  };
  return { ...mutation, place };
}
