import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import * as contracts from '@shop/contracts';
import { allContracts, allSubscriptions, envelopeSchema, routingKeyOf, type EventContract, type Subscription } from '@shop/contracts';
import { sessionInvalidationSubscription } from '@shop/gateway/src/session-invalidations';
import { EVENTS_EXCHANGE, parkedQueueOf } from '@shop/messaging';
import { toJsonSchema, type JsonSchema } from './json-schema.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Which service publishes which events. */
export type Publications = Map<string, EventContract<unknown>[]>;

/**
 * The events each service publishes, read from its code: every `outbox.add(tx, <contract>, ...)`
 * (the only way an event leaves a service) names the contract it writes. A call whose contract is
 * not a name imported from @shop/contracts stops the build of the document, rather than leave a
 * producer out.
 */
export function findPublications(servicesDir = path.join(ROOT, 'services')): Publications {
  const byExport = new Map(Object.entries(contracts).filter(([, value]) => allContracts().includes(value as EventContract<unknown>)) as Array<[string, EventContract<unknown>]>);
  const publications: Publications = new Map();
  for (const service of readdirSync(servicesDir).sort()) {
    const found = new Set<EventContract<unknown>>();
    for (const file of sourceFiles(path.join(servicesDir, service, 'src'))) {
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
      const imported = contractImports(source);
      const visit = (node: ts.Node): void => {
        if (ts.isCallExpression(node) && isOutboxAdd(node.expression)) {
          const argument = node.arguments[1];
          const exported = argument && ts.isIdentifier(argument) ? imported.get(argument.text) : undefined;
          const contract = exported ? byExport.get(exported) : undefined;
          if (!contract) throw new Error(`${path.relative(ROOT, file)}: outbox.add with a contract that is not imported from @shop/contracts (${argument?.getText(source)})`);
          found.add(contract);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    if (found.size > 0) publications.set(service, [...found].sort((a, b) => routingKeyOf(a).localeCompare(routingKeyOf(b))));
  }
  return publications;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/** `outbox.add(...)`, `deps.outbox.add(...)`, ... */
function isOutboxAdd(callee: ts.Expression): boolean {
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'add') return false;
  const target = callee.expression;
  return (ts.isIdentifier(target) && target.text === 'outbox') || (ts.isPropertyAccessExpression(target) && target.name.text === 'outbox');
}

/** Local name -> exported name, for what a file imports from @shop/contracts (`paymentFailed as paymentFailedEvent`). */
function contractImports(source: ts.SourceFile): Map<string, string> {
  const names = new Map<string, string>();
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || (statement.moduleSpecifier as ts.StringLiteral).text !== '@shop/contracts') continue;
    const bindings = statement.importClause?.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings)) continue;
    for (const element of bindings.elements) names.set(element.name.text, (element.propertyName ?? element.name).text);
  }
  return names;
}

/** A consumer's queue: a durable subscription of the contracts, or the gateway's per-replica one. */
interface ConsumerQueue {
  /** The channel's key and address. */
  address: string;
  service: string;
  events: readonly EventContract<unknown>[];
  durable: boolean;
  description: string;
}

function consumerQueues(): ConsumerQueue[] {
  const durable = allSubscriptions().map(
    (subscription: Subscription): ConsumerQueue => ({
      address: subscription.queue,
      service: subscription.queue.split('.')[0] as string,
      events: subscription.events,
      durable: true,
      description: [
        `The ${subscription.queue.split('.')[0]} service's durable queue, bound to \`${EVENTS_EXCHANGE}\` with each event's routing key.`,
        'Every event is applied once (an inbox of event ids, in the transaction of its effect); one that fails for a transient reason is retried with backoff',
        `(\`${subscription.queue}.retry.<delay>ms\` queues) for ten minutes, any other failure is parked at once in \`${parkedQueueOf(subscription.queue)}\`.`,
      ].join(' '),
    }),
  );
  const gateway: ConsumerQueue = {
    address: `${sessionInvalidationSubscription.queuePrefix}{replicaId}`,
    service: 'gateway',
    events: sessionInvalidationSubscription.events,
    durable: false,
    description: 'Each gateway replica binds a queue of its own (exclusive, deleted when it disconnects), so every replica refuses the tokens of ended sessions at once; no inbox, no retries.',
  };
  return [...durable, gateway];
}

const messageKey = (contract: EventContract<unknown>) => routingKeyOf(contract);
const messageRef = (contract: EventContract<unknown>) => ({ $ref: `#/components/messages/${messageKey(contract)}` });
/** Channel and operation keys stay plain: dots are fine in JSON pointers, `{}` are not wanted in keys. */
const channelKey = (address: string) => address.replace(/[{}]/g, '');

/**
 * The AsyncAPI 3.0 document of the shop's integration events: one channel per routing key on the
 * `shop.events` topic exchange, one per consumer queue, the envelope and every payload converted
 * from the contracts' joi schemas, who sends each event and which queue receives it.
 */
export function buildAsyncApiDocument(publications: Publications = findPublications()): JsonSchema {
  const events = [...allContracts()].sort((a, b) => messageKey(a).localeCompare(messageKey(b)));
  const shared: Record<string, JsonSchema> = {};
  const schemas: Record<string, JsonSchema> = { EventEnvelope: toJsonSchema(envelopeSchema, shared) };
  const messages: Record<string, JsonSchema> = {};
  const channels: Record<string, JsonSchema> = {};
  const operations: Record<string, JsonSchema> = {};
  const queues = consumerQueues();
  const producersOf = (contract: EventContract<unknown>) => [...publications].filter(([, list]) => list.includes(contract)).map(([service]) => service);

  for (const contract of events) {
    const key = messageKey(contract);
    schemas[key] = toJsonSchema(contract.schema, shared);
    const producers = producersOf(contract);
    const consumers = queues.filter((q) => q.events.includes(contract)).map((q) => q.address);
    messages[key] = {
      name: key,
      title: `${contract.type} v${contract.version}`,
      summary: `Published by ${producers.join(', ') || 'no service yet'}; consumed from ${consumers.join(', ') || 'no queue'}.`,
      contentType: 'application/json',
      payload: {
        allOf: [
          { $ref: '#/components/schemas/EventEnvelope' },
          { type: 'object', properties: { type: { const: contract.type }, version: { const: contract.version }, data: { $ref: `#/components/schemas/${key}` } } },
        ],
      },
      bindings: { amqp: { messageType: key, bindingVersion: '0.3.0' } },
    };
    channels[key] = {
      address: key,
      title: `${contract.type} v${contract.version}`,
      description: `Events published to the \`${EVENTS_EXCHANGE}\` topic exchange with routing key \`${key}\`.`,
      messages: { [key]: messageRef(contract) },
      bindings: { amqp: { is: 'routingKey', exchange: { name: EVENTS_EXCHANGE, type: 'topic', durable: true, autoDelete: false, vhost: '/' }, bindingVersion: '0.3.0' } },
    };
    for (const producer of producers) {
      operations[`${producer}.sends.${key}`] = {
        action: 'send',
        channel: { $ref: `#/channels/${key}` },
        summary: `The ${producer} service publishes ${contract.type} v${contract.version}, through its transactional outbox (publisher confirms).`,
        messages: [{ $ref: `#/channels/${key}/messages/${key}` }],
      };
    }
  }

  for (const queue of queues) {
    const key = channelKey(queue.address);
    const bound = [...queue.events].sort((a, b) => messageKey(a).localeCompare(messageKey(b)));
    channels[key] = {
      address: queue.address,
      title: queue.address,
      description: `${queue.description} Bound with: ${bound.map((c) => `\`${messageKey(c)}\``).join(', ')}.`,
      ...(queue.durable ? {} : { parameters: { replicaId: { description: 'a random id each gateway replica draws at start-up' } } }),
      messages: Object.fromEntries(bound.map((c) => [messageKey(c), messageRef(c)])),
      bindings: {
        amqp: {
          is: 'queue',
          queue: { name: queue.address, durable: queue.durable, exclusive: !queue.durable, autoDelete: !queue.durable, vhost: '/' },
          bindingVersion: '0.3.0',
        },
      },
    };
    operations[`${queue.service}.receives.${key}`] = {
      action: 'receive',
      channel: { $ref: `#/channels/${key}` },
      summary: `The ${queue.service} ${queue.service === 'gateway' ? '' : 'service '}consumes ${queue.address}.`.replace('  ', ' '),
      messages: bound.map((c) => ({ $ref: `#/channels/${key}/messages/${messageKey(c)}` })),
      bindings: { amqp: { ack: queue.durable, bindingVersion: '0.3.0' } },
    };
  }

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Shop integration events',
      version: '1',
      description: [
        `Every integration event is published to the durable topic exchange \`${EVENTS_EXCHANGE}\` with routing key \`<type>.v<version>\`, in one envelope that names the aggregate it is about and that aggregate's version after the change.`,
        'Delivery is at least once and applied once (each consumer records the event ids it applied); every payload is validated with its joi schema on publish and on consume. A new incompatible payload is a new version.',
        'Every process that publishes declares every durable queue and its bindings first, so an event reaches a consumer that has not started yet.',
        'This document is generated from the event contracts (their joi schemas and subscriptions) and the services\' code.',
      ].join('\n\n'),
    },
    defaultContentType: 'application/json',
    servers: {
      rabbitmq: { host: 'localhost:5672', protocol: 'amqp', protocolVersion: '0-9-1', description: "The shop's RabbitMQ (AMQP_URL of each service)" },
    },
    channels,
    operations,
    components: { schemas: { ...schemas, ...shared }, messages },
  };
}
