import Joi from 'joi';

/** The envelope every integration event travels in (EVENTS.md). */
export interface EventEnvelope<D = unknown> {
  id: string;
  type: string;
  version: number;
  occurredAt: string;
  source: string;
  correlationId: string;
  causationId: string | null;
  data: D;
}

export const envelopeSchema = Joi.object<EventEnvelope>({
  id: Joi.string().uuid().required(),
  type: Joi.string().pattern(/^[a-z]+(\.[a-z-]+)+$/).required(),
  version: Joi.number().integer().min(1).required(),
  occurredAt: Joi.string().isoDate().required(),
  source: Joi.string().required(),
  correlationId: Joi.string().max(200).required(),
  causationId: Joi.string().max(200).allow(null).required(),
  data: Joi.object().required(),
});

/** Routing key on the `shop.events` exchange: `<type>.v<version>`. */
export function routingKeyOf(event: { type: string; version: number }): string {
  return `${event.type}.v${event.version}`;
}
