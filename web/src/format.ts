export interface Money {
  amount: number;
  currency: string;
}

export function money(value: Money): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: value.currency }).format(value.amount / 100);
}

export const STOCK_LABELS = { in_stock: 'In stock', low_stock: 'Low stock', out_of_stock: 'Sold out' } as const;

export function dateTime(iso: string): string {
  return new Date(iso).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' });
}
