import Joi from 'joi';

/**
 * The aggregate an event is about and its version after the change, so a consumer can apply one
 * aggregate's events in order and recognise a stale one. Events that describe something without
 * changing it (a resent verification link, say) carry the version as it is.
 */
export interface AggregateRef {
  type: string;
  id: string;
  version: number;
}

/** The envelope every integration event travels in (EVENTS.md). */
export interface EventEnvelope<D = unknown> {
  id: string;
  type: string;
  version: number;
  occurredAt: string;
  source: string;
  correlationId: string;
  causationId: string | null;
  aggregate: AggregateRef;
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
  // Optional on consume only so messages published before it existed are still read.
  aggregate: Joi.object({
    type: Joi.string().pattern(/^[a-z][a-z-]*$/).required(),
    id: Joi.string().max(200).required(),
    version: Joi.number().integer().min(0).required(),
  }),
  data: Joi.object().required(),
});

/** Routing key on the `shop.events` exchange: `<type>.v<version>`. */
export function routingKeyOf(event: { type: string; version: number }): string {
  return `${event.type}.v${event.version}`;
}
