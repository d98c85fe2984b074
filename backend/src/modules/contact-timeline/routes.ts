import type { ScopedDeps } from '../../db/scoped-deps.js';
import { idempotencyKeyOf } from '../../http/idempotency-key.js';
import { actorFrom } from '../../http/request-context.js';
import { defineRoute, type RouteSpec } from '../../http/route-registry.js';
import { contactIdParams } from '../contacts/schemas.js';
import { addNote, getActivities, getNotes, logActivity } from './contact-timeline.js';
import { activitiesQuery, activityListView, activityView, addNoteBody, logActivityBody, noteListView, noteView, timelinePageQuery } from './schemas.js';

export function contactTimelineRoutes(deps: ScopedDeps): RouteSpec[] {
  return [
    defineRoute({
      method: 'post', path: '/api/v1/contacts/:contactId/notes', tag: 'contacts', scope: 'tenant', status: 201,
      summary: "Add a note to a contact's timeline",
      access: { permission: 'tenant.contacts.write' },
      params: contactIdParams, body: addNoteBody, response: noteView,
      handler: ({ req, params, body }) => addNote(deps, { actor: actorFrom(req), contactId: params.contactId, body: body.body }),
    }),
    defineRoute({
      method: 'get', path: '/api/v1/contacts/:contactId/notes', tag: 'contacts', scope: 'tenant',
      summary: "A contact's notes, newest first",
      access: { permission: 'tenant.contacts.read' },
      params: contactIdParams, query: timelinePageQuery, response: noteListView,
      handler: async ({ req, params, query }) => ({ notes: await getNotes(deps, { actor: actorFrom(req), contactId: params.contactId, ...query }) }),
    }),
    defineRoute({
      method: 'post', path: '/api/v1/contacts/:contactId/activities', tag: 'contacts', scope: 'tenant', status: 201,
      summary: 'Log a structured activity (type + data, e.g. follow_up.outcome). Idempotency-Key: the same key returns the first with 200',
      access: { permission: 'tenant.contacts.write' },
      params: contactIdParams, body: logActivityBody, response: activityView,
      handler: async ({ req, res, params, body }) => {
        const { activity, created } = await logActivity(deps, {
          actor: actorFrom(req), contactId: params.contactId, ...body, idempotencyKey: idempotencyKeyOf(req, body.idempotencyKey),
        });
        res.status(created ? 201 : 200).json(activity);
      },
    }),
    defineRoute({
      method: 'get', path: '/api/v1/contacts/:contactId/activities', tag: 'contacts', scope: 'tenant',
      summary: "A contact's activities, newest first (optionally one type)",
      access: { permission: 'tenant.contacts.read' },
      params: contactIdParams, query: activitiesQuery, response: activityListView,
      handler: async ({ req, params, query }) => ({
        activities: await getActivities(deps, { actor: actorFrom(req), contactId: params.contactId, ...query }),
      }),
    }),
  ];
}
