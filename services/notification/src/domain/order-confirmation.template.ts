import type { Address, Money, OrderLineItem } from '@shop/contracts';
import { escapeHtml, formatUtc, type MailContent } from './mail-content';
import { formatMoney } from './money';

export type OrderConfirmationLine = Pick<OrderLineItem, 'name' | 'sku' | 'quantity' | 'unitPrice' | 'lineTotal'>;

export interface OrderConfirmationInput {
  shopName: string;
  /** Whom the mail greets. */
  greetingName: string;
  orderNumber: string;
  lineItems: OrderConfirmationLine[];
  subtotal: Money;
  shippingCost: Money;
  tax: Money;
  totalAmount: Money;
  shippingAddress: Address;
  placedAt: Date;
}

export const ORDER_CONFIRMATION_TEMPLATE = 'order-confirmation';

/**
 * The mail that confirms a placed order: every line with its SKU, quantity, unit price and line
 * total, the subtotal, shipping ("free" when nothing), tax and total, where it ships and when it
 * was placed. Every value is escaped in the HTML part.
 */
export function renderOrderConfirmation(input: OrderConfirmationInput): MailContent {
  const intro = `thank you for your order with ${input.shopName}. We have received order ${input.orderNumber}, placed on ${formatUtc(input.placedAt)}.`;
  const outro = 'We will e-mail you again when your order ships.';
  const lines = input.lineItems.map((line) => ({
    name: line.name,
    sku: line.sku,
    quantity: String(line.quantity),
    unitPrice: formatMoney(line.unitPrice),
    lineTotal: formatMoney(line.lineTotal),
  }));
  const totals = [
    { label: 'Subtotal', value: formatMoney(input.subtotal) },
    { label: 'Shipping', value: formatShipping(input.shippingCost) },
    { label: 'Tax', value: formatMoney(input.tax) },
    { label: 'Total', value: formatMoney(input.totalAmount) },
  ];
  const address = addressLines(input.shippingAddress);

  const text = [
    `Hi ${input.greetingName},`,
    '',
    intro,
    '',
    `Order ${input.orderNumber}`,
    '',
    ...lines.flatMap((line) => [
      `- ${line.name}`,
      `  SKU: ${line.sku}, quantity: ${line.quantity}, unit price: ${line.unitPrice}, line total: ${line.lineTotal}`,
    ]),
    '',
    ...totals.map(({ label, value }) => `${`${label}:`.padEnd(10)} ${value}`),
    '',
    'Shipping to:',
    ...address,
    '',
    outro,
    '',
    input.shopName,
    '',
  ].join('\n');

  const e = escapeHtml;
  const cell = 'padding: 6px 8px; border-bottom: 1px solid #e5e5e5';
  const num = `${cell}; text-align: right; white-space: nowrap`;
  const html = `<!doctype html>
<html>
<body style="font-family: Arial, Helvetica, sans-serif; line-height: 1.5; color: #222">
<p>Hi ${e(input.greetingName)},</p>
<p>${e(intro)}</p>
<h2 style="font-size: 18px">Order ${e(input.orderNumber)}</h2>
<table style="border-collapse: collapse; width: 100%; max-width: 640px">
<thead>
<tr><th style="${cell}; text-align: left">Item</th><th style="${cell}; text-align: left">SKU</th><th style="${num}">Quantity</th><th style="${num}">Unit price</th><th style="${num}">Line total</th></tr>
</thead>
<tbody>
${lines
  .map(
    (line) =>
      `<tr><td style="${cell}">${e(line.name)}</td><td style="${cell}">${e(line.sku)}</td><td style="${num}">${e(line.quantity)}</td><td style="${num}">${e(line.unitPrice)}</td><td style="${num}">${e(line.lineTotal)}</td></tr>`,
  )
  .join('\n')}
</tbody>
<tfoot>
${totals
  .map(({ label, value }) => {
    const [open, close] = label === 'Total' ? ['<strong>', '</strong>'] : ['', ''];
    return `<tr><td colspan="4" style="${num}">${open}${e(label)}${close}</td><td style="${num}">${open}${e(value)}${close}</td></tr>`;
  })
  .join('\n')}
</tfoot>
</table>
<p><strong>Shipping to</strong><br>${address.map(e).join('<br>')}</p>
<p>${e(outro)}</p>
<p>${e(input.shopName)}</p>
</body>
</html>
`;

  return { subject: `Your ${input.shopName} order ${input.orderNumber}`, text, html };
}

function formatShipping(cost: Money): string {
  return cost.amount === 0 ? 'free' : formatMoney(cost);
}

/** Name, street, "city, state postal code" (without the state where there is none), country. */
function addressLines(address: Address): string[] {
  const region = [address.state, address.postalCode].filter((part) => part !== '').join(' ');
  return [address.recipientName, address.street, `${address.city}, ${region}`, address.country];
}
