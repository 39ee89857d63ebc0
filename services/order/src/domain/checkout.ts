import { AppError } from '@shop/platform';

/** A line of the cart as checkout reads it. */
export interface CartLine {
  productId: string;
  variantId: string;
  productName: string;
  variantName: string;
  sku: string;
  quantity: number;
  unitPrice: { amount: number; currency: string };
  onSale: boolean;
}

/** SEQ-ORDER-001 step 3: nothing to order is 409 EMPTY_CART. */
export function assertNotEmpty(lines: readonly CartLine[]): void {
  if (lines.length === 0) throw new AppError('EMPTY_CART', 'your cart is empty');
}

/** A product taken off sale since it was put in the cart cannot be ordered: 409 PRODUCT_INACTIVE naming it. */
export function assertOnSale(lines: readonly CartLine[]): void {
  const off = lines.filter((line) => !line.onSale);
  if (off.length > 0) {
    throw new AppError('PRODUCT_INACTIVE', 'some products in your cart are no longer on sale; remove them to continue', {
      items: off.map((line) => ({ productId: line.productId, variantId: line.variantId, productName: line.productName })),
    });
  }
}

/**
 * A checkout's saga: `running` while its steps go forward, `completing` once the order exists
 * and only later steps (clearing the cart) are left, `compensating` while undoing what earlier
 * steps did, and finally `completed` or `compensated`.
 */
export type CheckoutStatus = 'running' | 'completing' | 'completed' | 'compensating' | 'compensated';
