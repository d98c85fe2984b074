import type { ScopedDeps } from '../../db/scoped-deps.js';
import { isStorableText } from '../../infra/storable-text.js';
import { findNumberOwner, type ProviderName } from './credential-repository.js';

export type NumberOwner = { agencyId: string; tenantId: string; address: string };

/** The tenant behind the first of `addresses` that is one of our numbers (webhook routing). */
export function resolveNumberOwner(deps: ScopedDeps, input: { provider: ProviderName; addresses: readonly (string | undefined)[] }): Promise<NumberOwner | undefined> {
  return deps.runInScope({}, async (tx) => {
    for (const address of input.addresses) {
      // Unsigned input (the signature is checked with the owner's credentials): text PostgreSQL refuses is no number of ours.
      if (!address || !isStorableText(address)) continue;
      const owner = await findNumberOwner(tx, { provider: input.provider, address });
      if (owner) return { ...owner, address };
    }
    return undefined;
  });
}
