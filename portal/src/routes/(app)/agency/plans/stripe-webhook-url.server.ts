import { config } from '#lib/server/config.js';
import { whoAmI } from '#lib/server/session.js';
import type { Cookies } from '@sveltejs/kit';

// Where Stripe must send the agency's billing events (docs/billing.md): the API's public address — the one it
// announces in /openapi.json (PUBLIC_URL) — plus /webhooks/stripe-billing/<agencyId>. The portal cannot guess
// it from its own address: natively the API has its own port; behind the proxy both share the domain.
let publicApiUrl: Promise<string | null> | undefined;

async function readPublicApiUrl(): Promise<string | null> {
  const response = await fetch(`${config.backendUrl}/openapi.json`, { signal: AbortSignal.timeout(config.backendTimeoutMs) });
  if (!response.ok) return null;
  const document = (await response.json()) as { servers?: { url?: string }[] };
  return document.servers?.[0]?.url?.replace(/\/+$/, '') ?? null;
}

/** The webhook endpoint URL the agency gives Stripe, or null when it cannot be told (the API did not answer). */
export async function stripeBillingWebhookUrl(context: { cookies: Cookies; locals: App.Locals }, fallbackOrigin: string): Promise<string | null> {
  publicApiUrl ??= readPublicApiUrl().catch(() => null);
  const [base, me] = await Promise.all([publicApiUrl, whoAmI({ cookies: context.cookies, requestId: context.locals.requestId }).catch(() => undefined)]);
  if (base === null) publicApiUrl = undefined; // ask again next time
  return me ? `${base ?? fallbackOrigin}/webhooks/stripe-billing/${me.agencyId}` : null;
}
