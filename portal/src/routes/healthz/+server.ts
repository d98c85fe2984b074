import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

// Liveness for the compose healthcheck: the portal serves HTTP. The backend's health is /readyz's job,
// so a backend outage does not get the portal restarted.
export const GET: RequestHandler = () => json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } });
