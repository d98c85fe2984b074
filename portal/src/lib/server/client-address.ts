/**
 * Vouches for the visitor's address on calls to the API, so the API throttles sign-ins and resets per
 * visitor rather than per portal. The API checks this proof (backend/src/http/client-address.ts) with
 * the secret only the two of them hold (CLIENT_ADDRESS_SECRET) and ignores it after a minute.
 */
import { createHmac } from 'node:crypto';

export const CLIENT_ADDRESS_HEADER = 'x-switchboard-client-address';

export type ClientAddress = { address: string; secret: string };

/** `<address>;<unix ms>;<HMAC-SHA256 hex of "v1\n<address>\n<unix ms>">`. */
export function signClientAddress({ address, secret }: ClientAddress, nowMs = Date.now()): string {
  const mac = createHmac('sha256', secret).update(`v1\n${address}\n${nowMs}`).digest('hex');
  return `${address};${nowMs};${mac}`;
}

/** The header to add to a call made for this visitor (none when the address is unknown). */
export function clientAddressHeaders(client: ClientAddress | undefined): Record<string, string> {
  return client?.address && client.secret ? { [CLIENT_ADDRESS_HEADER]: signClientAddress(client) } : {};
}
