import type { ScopedDeps } from '../../db/scoped-deps.js';
import type { Principal } from '../auth/principal.js';
import { findApplicableOverrides, type FlagOverride } from './flag-override-repository.js';
import { FLAGS, type FlagKey, type FlagStage } from './flag-registry.js';

export type EvaluatedFlag = {
  key: FlagKey;
  description: string;
  stage: FlagStage;
  enabled: boolean;
  source: 'default' | 'global' | 'tenant' | 'user';
};

/** The most specific override wins: user, then tenant, then installation-wide, then the registry default. */
export function resolveFlags(overrides: readonly FlagOverride[], who: { tenantId: string | null; userId: string | null }): EvaluatedFlag[] {
  return FLAGS.map((flag) => {
    const mine = overrides.filter((o) => o.flagKey === flag.key);
    const user = who.userId ? mine.find((o) => o.userId === who.userId) : undefined;
    const tenant = who.tenantId ? mine.find((o) => o.tenantId === who.tenantId && !o.userId) : undefined;
    const global = mine.find((o) => !o.tenantId && !o.userId);
    const [source, override] = user ? ['user', user] : tenant ? ['tenant', tenant] : global ? ['global', global] : ['default', undefined];
    return {
      key: flag.key,
      description: flag.description,
      stage: flag.stage,
      enabled: override ? override.enabled : flag.defaultEnabled,
      source: source as EvaluatedFlag['source'],
    };
  });
}

/** Server-side evaluation for one caller. Overrides are read at agency scope: flags are not tenant data. */
export async function evaluateFlags(deps: ScopedDeps, principal: Principal): Promise<EvaluatedFlag[]> {
  const who = { tenantId: principal.tenantId ?? null, userId: principal.kind === 'user' ? principal.userId : null };
  const overrides = await deps.runInScope({ agencyId: principal.agencyId }, (tx) =>
    findApplicableOverrides(tx, { agencyId: principal.agencyId, ...who }),
  );
  return resolveFlags(overrides, who);
}
