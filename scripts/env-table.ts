/**
 * Prints the environment variables of every process as Markdown tables, straight from their joi
 * config schemas, so the README's table cannot drift from the code: `pnpm exec tsx scripts/env-table.ts`.
 */
import type Joi from 'joi';
import { cartConfigSchema } from '../services/cart/src/config';
import { catalogConfigSchema } from '../services/catalog/src/config';
import { customerConfigSchema } from '../services/customer/src/config';
import { inventoryConfigSchema } from '../services/inventory/src/config';
import { gatewayConfigSchema } from '../gateway/src/config';
import { notificationConfigSchema } from '../services/notification/src/config';
import { orderConfigSchema } from '../services/order/src/config';
import { paymentConfigSchema } from '../services/payment/src/config';
import { sandboxConfigSchema } from '../infra/payment-sandbox/src/config';

const schemas: Record<string, Joi.ObjectSchema> = {
  gateway: gatewayConfigSchema,
  'customer service': customerConfigSchema,
  'catalog service': catalogConfigSchema,
  'inventory service': inventoryConfigSchema,
  'cart service': cartConfigSchema,
  'order service': orderConfigSchema,
  'payment service': paymentConfigSchema,
  'notification worker': notificationConfigSchema,
  'sandbox payment provider': sandboxConfigSchema,
};

for (const [name, schema] of Object.entries(schemas)) {
  const described = schema.describe() as { keys: Record<string, { flags?: { default?: unknown; description?: string; presence?: string } }> };
  console.log(`\n**${name}**\n\n| variable | default | meaning |\n| --- | --- | --- |`);
  for (const [key, value] of Object.entries(described.keys)) {
    const fallback = value.flags?.default;
    const shown = describeDefault(fallback, value.flags?.presence === 'required');
    console.log(`| \`${key}\` | ${shown} | ${value.flags?.description ?? ''} |`);
  }
}

function describeDefault(fallback: unknown, required: boolean): string {
  if (fallback === undefined) return required ? 'required' : '—';
  if (Array.isArray(fallback)) return `\`${fallback.join(',')}\``;
  // joi describes a computed default by its source text
  if (typeof fallback === 'function' || String(fallback).includes('=>')) return 'derived';
  return `\`${String(fallback)}\``;
}
