import type { ScopedDeps } from '../../db/scoped-deps.js';
import { actorFrom } from '../../http/request-context.js';
import { defineRoute, type RouteSpec } from '../../http/route-registry.js';
import { emptyQuery } from '../../http/schemas.js';
import { z } from 'zod';
import { CHANNELS } from '../../ports/messaging.js';
import { editContact } from './edit-contact.js';
import { eraseContact } from './erase-contact.js';
import { exportContact } from './export-contact.js';
import { getContact, getContactByPhone, searchContacts } from './find-contacts.js';
import { saveContact } from './save-contact.js';
import { contactByPhoneQuery, contactDetailView, contactIdParams, contactListView, contactView, editContactBody, saveContactBody, searchContactsQuery } from './schemas.js';

// The tenant's contacts. The tenant is always the caller's (principal), never a parameter.
export function contactRoutes(deps: ScopedDeps): RouteSpec[] {
  return [
    defineRoute({
      method: 'get', path: '/api/v1/contacts/:contactId/export', tag: 'contacts', scope: 'tenant',
      summary: 'Everything held about a contact, as JSON (GDPR access request; audited)', access: { permission: 'tenant.settings.manage' },
      params: contactIdParams, query: emptyQuery,
      handler: ({ req, params }) => exportContact(deps, { actor: actorFrom(req), contactId: params.contactId }),
    }),
    defineRoute({
      method: 'post', path: '/api/v1/contacts/:contactId/erase', tag: 'contacts', scope: 'tenant',
      summary: 'Erase a contact’s personal data, irreversibly (opt-outs stay effective against hashed addresses; audited)',
      access: { permission: 'tenant.settings.manage' },
      params: contactIdParams, body: z.strictObject({ confirm: z.literal('ERASE') }),
      response: z.object({ contactId: z.string(), erased: z.literal(true), optOutsKept: z.array(z.enum(CHANNELS)) }),
      handler: ({ req, params }) => eraseContact(deps, { actor: actorFrom(req), contactId: params.contactId }),
    }),
    defineRoute({
      method: 'post', path: '/api/v1/contacts', tag: 'contacts', scope: 'tenant', status: 201,
      summary: 'Create or update a contact by phone (201 created, 200 updated)',
      access: { permission: 'tenant.contacts.write' },
      body: saveContactBody, response: contactView,
      handler: async ({ req, res, body }) => {
        const { contact, created } = await saveContact(deps, { actor: actorFrom(req), contact: body });
        res.status(created ? 201 : 200).json(contactView.parse(contact));
      },
    }),
    defineRoute({
      method: 'get', path: '/api/v1/contacts', tag: 'contacts', scope: 'tenant',
      summary: 'Search contacts by name, phone or email',
      access: { permission: 'tenant.contacts.read' },
      query: searchContactsQuery, response: contactListView,
      handler: async ({ req, query }) => ({ contacts: (await searchContacts(deps, { actor: actorFrom(req), ...query })).map((c) => contactView.parse(c)) }),
    }),
    // Before /:contactId, which would read "by-phone" as an id.
    defineRoute({
      method: 'get', path: '/api/v1/contacts/by-phone', tag: 'contacts', scope: 'tenant',
      summary: 'The contact with exactly this phone number (normalized to E.164 like create); 404 when none',
      access: { permission: 'tenant.contacts.read' },
      query: contactByPhoneQuery, response: contactDetailView,
      handler: async ({ req, query }) => contactDetailView.parse(await getContactByPhone(deps, { actor: actorFrom(req), phone: query.phone })),
    }),
    defineRoute({
      method: 'get', path: '/api/v1/contacts/:contactId', tag: 'contacts', scope: 'tenant',
      summary: 'A contact with its current consent per channel',
      access: { permission: 'tenant.contacts.read' },
      params: contactIdParams, query: emptyQuery, response: contactDetailView,
      handler: async ({ req, params }) => contactDetailView.parse(await getContact(deps, { actor: actorFrom(req), contactId: params.contactId })),
    }),
    defineRoute({
      method: 'patch', path: '/api/v1/contacts/:contactId', tag: 'contacts', scope: 'tenant',
      summary: 'Change a contact (timeZone sets it by hand; null goes back to the inferred zone)',
      access: { permission: 'tenant.contacts.write' },
      params: contactIdParams, body: editContactBody, response: contactView,
      handler: async ({ req, params, body }) => contactView.parse(await editContact(deps, { actor: actorFrom(req), contactId: params.contactId, edit: body })),
    }),
  ];
}
