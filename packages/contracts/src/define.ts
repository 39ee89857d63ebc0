import Joi from 'joi';

/** One versioned event type: its name, version and payload schema. */
export interface EventContract<D> {
  readonly type: string;
  readonly version: number;
  readonly schema: Joi.ObjectSchema<D>;
  /** Phantom field carrying the payload type; never set at run time. */
  readonly payload?: D;
}

const registry = new Map<string, EventContract<unknown>>();

/** Declares an event contract and registers it so consumers can look it up by type and version. */
export function defineEvent<D>(
  type: string,
  version: number,
  keys: Joi.PartialSchemaMap<D>,
  /** Rules across keys (one of two required, say). */
  refine: (schema: Joi.ObjectSchema<D>) => Joi.ObjectSchema<D> = (schema) => schema,
): EventContract<D> {
  const key = `${type}.v${version}`;
  if (registry.has(key)) throw new Error(`event ${key} is defined twice`);
  // Producers may add fields in a compatible way, so unknown keys are allowed on consume.
  const contract: EventContract<D> = { type, version, schema: refine(Joi.object<D>(keys).unknown(true)) };
  registry.set(key, contract as EventContract<unknown>);
  return contract;
}

/** The contract for a routing key or type+version, if one is defined. */
export function findContract(type: string, version: number): EventContract<unknown> | undefined {
  return registry.get(`${type}.v${version}`);
}

export function allContracts(): EventContract<unknown>[] {
  return [...registry.values()];
}
