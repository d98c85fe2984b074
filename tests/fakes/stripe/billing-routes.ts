import { checkoutRoutes } from './checkout.js';
import { customerRoutes } from './customers.js';
import { invoiceRoutes } from './invoice-routes.js';
import { portalRoutes } from './portal.js';
import type { Route } from './routes.js';
import { subscriptionRoutes } from './subscriptions.js';

export const billingRoutes: Route[] = [...customerRoutes, ...checkoutRoutes, ...portalRoutes, ...subscriptionRoutes, ...invoiceRoutes];
