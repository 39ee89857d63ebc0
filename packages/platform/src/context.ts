import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** What travels with one unit of work (an HTTP request or a consumed event). */
export interface RequestContext {
  correlationId: string;
  /** Id of the event being handled, so events it causes can name their cause. */
  causationId: string | null;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runInContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The current context, or a fresh one for work that started outside any request. */
export function currentContext(): RequestContext {
  return storage.getStore() ?? { correlationId: randomUUID(), causationId: null };
}
