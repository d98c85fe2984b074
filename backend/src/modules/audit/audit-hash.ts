import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** The hashed content of one audit row: everything but the hash itself. */
export type AuditRowContent = {
  chainKey: string;
  seq: number;
  agencyId: string;
  tenantId: string | null;
  actorType: string;
  actorId: string | null;
  actingAsTenantId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
  ip: string | null;
  createdAt: string;
};

/** JSON with object keys sorted at every depth, so equal content always serializes the same way. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, inner]) => inner !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonicalJson(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function chainKeyFor(agencyId: string, tenantId: string | null | undefined): string {
  return tenantId ? `tenant:${tenantId}` : `agency:${agencyId}`;
}

export function auditHash(prevHash: string, content: AuditRowContent): string {
  return createHash('sha256').update(prevHash).update(canonicalJson(content)).digest('hex');
}
