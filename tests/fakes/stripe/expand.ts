// expand[]=latest_invoice, customer, items.data.price.product, data.subscription (on lists)...: ids of
// objects the account holds are replaced by the objects, as Stripe does.
import type { StripeAccount } from './account.js';
import type { FormValue } from './form.js';
import { visible } from './replies.js';

const STORES: [string, keyof StripeAccount][] = [
  ['cus_', 'customers'], ['sub_', 'subscriptions'], ['in_', 'invoices'], ['prod_', 'products'], ['price_', 'prices'], ['cs_', 'checkoutSessions'],
];

function lookup(account: StripeAccount, id: string): unknown {
  const store = STORES.find(([prefix]) => id.startsWith(prefix))?.[1];
  return store ? (account[store] as Map<string, unknown>).get(id) : undefined;
}

export function expandBody(account: StripeAccount, body: unknown, expand: FormValue | undefined): unknown {
  if (!expand || typeof body !== 'object' || body === null) return body;
  let result: unknown = body;
  for (const path of Object.values(expand as FormValue[])) result = expandPath(account, result, String(path).split('.'));
  return result;
}

function expandPath(account: StripeAccount, node: unknown, path: string[]): unknown {
  if (path.length === 0 || typeof node !== 'object' || node === null) return node;
  if (Array.isArray(node)) return node.map((element) => expandPath(account, element, path));
  const [head, ...rest] = path as [string, ...string[]];
  const object = node as Record<string, unknown>;
  let value = object[head];
  if (typeof value === 'string') value = visible(lookup(account, value) ?? value);
  return { ...object, [head]: expandPath(account, value, rest) };
}
