import { randomUUID } from 'node:crypto';
import { QueryTypes, type Sequelize } from 'sequelize';
import { createSequelize } from '../../backend/src/db/sequelize.js';
import { scopeRunner } from '../../backend/src/db/tenant-scope.js';
import { createLogger } from '../../backend/src/logger.js';
import { saveTwilioCredentials } from '../../backend/src/modules/provider-credentials/save-twilio-credentials.js';

// The data a benchmark needs: an agency, its tenants, and each tenant's Twilio account connected through
// the real use case (encrypted at rest, numbers in the webhook routing table), as the app role.
export type BenchTenant = { agencyId: string; tenantId: string; accountSid: string; authToken: string; number: string };

async function insertId(db: Sequelize, sql: string, replacements: Record<string, unknown>): Promise<string> {
  const rows = await db.query<{ id: string }>(`${sql} RETURNING id`, { replacements, type: QueryTypes.SELECT });
  return rows[0]!.id;
}

export type WorldOptions = {
  admin: Sequelize;
  appUrl: string;
  encryptionKey: Buffer;
  /** One Twilio account and number per tenant. */
  accounts: { sid: string; authToken: string; number: string }[];
  /** Any hour, no opt-in, no frequency cap: for sending benchmarks (the policy still runs). */
  permissivePolicy?: boolean;
  /** A tenant-wide SMS pace (sender_pacing row with sender NULL); without it the adapter's default (1/s). */
  smsMessagesPerSecond?: number;
};

export async function createBenchWorld(options: WorldOptions): Promise<BenchTenant[]> {
  const { admin } = options;
  const agencyId = await insertId(admin, `INSERT INTO agencies (name) VALUES (:name)`, { name: `Bench agency ${randomUUID().slice(0, 6)}` });
  const app = createSequelize(options.appUrl, createLogger({ logLevel: 'silent' }), { poolMax: 2 });
  const deps = { runInScope: scopeRunner(app), encryptionKey: options.encryptionKey };
  const tenants: BenchTenant[] = [];
  try {
    for (const [index, account] of options.accounts.entries()) {
      const slug = `bench-${index}-${randomUUID().slice(0, 6)}`;
      const tenantId = await insertId(admin, `INSERT INTO tenants (agency_id, name, slug, time_zone) VALUES (:agencyId, :name, :slug, 'America/New_York')`, {
        agencyId, name: `Bench tenant ${index}`, slug,
      });
      if (options.permissivePolicy) {
        await admin.query(
          `INSERT INTO messaging_settings (tenant_id, agency_id, window_start, window_end, opt_in_required, frequency_cap_count)
           VALUES (:tenantId, :agencyId, '00:00', '00:00', '{"sms": false, "whatsapp": false, "telegram": false, "web": false}', NULL)`,
          { replacements: { tenantId, agencyId } },
        );
      }
      if (options.smsMessagesPerSecond) {
        await admin.query(`INSERT INTO sender_pacing (tenant_id, channel, sender, messages_per_second) VALUES (:tenantId, 'sms', NULL, :mps)`, {
          replacements: { tenantId, mps: options.smsMessagesPerSecond },
        });
      }
      const actor = {
        principal: { kind: 'service' as const, tokenId: randomUUID(), agencyId, tenantId, permissions: new Set<never>() },
        requestId: null,
        ip: null,
      };
      await saveTwilioCredentials(deps, { actor, accountSid: account.sid, authToken: account.authToken, phoneNumbers: [account.number] });
      tenants.push({ agencyId, tenantId, accountSid: account.sid, authToken: account.authToken, number: account.number });
    }
  } finally {
    await app.close();
  }
  return tenants;
}

/** Valid US numbers (libphonenumber checks contacts' numbers; the fake checks E.164). */
export const ourNumber = (index: number) => `+1415${String(7_000_000 + index).padStart(7, '0')}`;
export const contactNumber = (index: number) => `+1212${String(2_000_000 + index).padStart(7, '0')}`;
