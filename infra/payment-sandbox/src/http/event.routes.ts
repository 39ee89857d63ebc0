import Joi from 'joi';
import type { Router } from 'express';
import { route } from '@shop/platform';
import { listStoredEvents, type EventListQuery } from '../app/list-events.use-case.js';
import type { ApiDeps } from './deps.js';
import { eventView } from './views.js';

const eventQuery = Joi.object<EventListQuery>({
  after: Joi.string().max(100),
  authorizationId: Joi.string().max(100),
  approvalId: Joi.string().max(100),
  limit: Joi.number().integer().min(1).max(100).default(100),
});

/** `GET /v1/events?after=<id>&authorizationId=&approvalId=&limit=`: the stored events, oldest first, with their delivery state. */
export function eventRoutes(router: Router, deps: ApiDeps): void {
  router.get(
    '/events',
    route({ query: eventQuery }, async ({ query }) => {
      const { events, hasMore } = await listStoredEvents(deps.db, query);
      return { data: events.map(eventView), hasMore };
    }),
  );
}
