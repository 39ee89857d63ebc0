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
    key = randomKey();
    storage.setItem(KEY, key);
  }
  return key;
}

/**
 * A random v4 UUID. `crypto.randomUUID` exists on secure origins only (HTTPS, localhost); a shop
 * served over plain HTTP on another name still has `getRandomValues`.
 */
function randomKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
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
