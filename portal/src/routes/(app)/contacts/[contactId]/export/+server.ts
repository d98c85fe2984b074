import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { backendFetch } from '../../../agency/session-api.server.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** "Export data": the API's JSON document as a file download (GDPR access request). */
export const GET: RequestHandler = async (event) => {
  if (!UUID.test(event.params.contactId)) error(404, 'No such contact');
  const upstream = await backendFetch(event, 'GET', `/api/v1/contacts/${event.params.contactId}/export`);
  if (upstream.status === 403) error(403, 'Only owners and admins can export a contact’s data.');
  if (!upstream.ok) error(upstream.status === 404 ? 404 : 502, upstream.status === 404 ? 'No such contact' : 'The export could not be made right now.');
  const body = JSON.stringify(await upstream.json(), null, 2);
  return new Response(body, {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="contact-${event.params.contactId}.json"`,
      'cache-control': 'private, no-store',
    },
  });
};
