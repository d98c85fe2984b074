import type { Route } from './routes.js';

export const billingRoutes: Route[] = [];
