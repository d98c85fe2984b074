import { randomBytes, randomUUID } from 'node:crypto';
import { QueryTypes, type Sequelize } from 'sequelize';
import type { FakeTwilio } from '../../../tests/fakes/twilio/index.js';
import { providerFakes } from './provider-fakes.js';

/** Test-data mothers for Twilio credentials and call logs (inserted beneath RLS). */
export const freshTwilioSid = (): string => `AC${randomBytes(16).toString('hex')}`;
// A valid North American number: the exchange (first of the seven digits) is 2-9, else libphonenumber rejects
// it and whatever the number reaches fails validation (that made tests fail about one run in five).
export const freshUsNumber = (): string => `+1415${2 + Math.floor(Math.random() * 8)}${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;

/**
 * A valid body for PUT /api/v1/tenant/providers/twilio: a fresh account on the fake Twilio (the shared one
 * unless given) owning the numbers (a fresh one unless overridden), since connecting verifies both with Twilio.
 */
export function twilioCredentialsBody(overrides: Record<string, unknown> = {}, fake: FakeTwilio = providerFakes().twilio): Record<string, unknown> {
  const phoneNumbers = (overrides.phoneNumbers as string[] | undefined) ?? [freshUsNumber()];
  const account = fake.addAccount({ sid: freshTwilioSid(), authToken: randomBytes(16).toString('hex'), numbers: phoneNumbers });
  return { accountSid: account.sid, authToken: account.authToken, phoneNumbers, ...overrides };
}

export async function insertCallLog(
  db: Sequelize,
  input: { agencyId: string; tenantId: string; status?: string; direction?: 'inbound' | 'outbound' },
): Promise<{ id: string }> {
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO call_logs (agency_id, tenant_id, provider, provider_call_id, direction, from_number, to_number, status)
     VALUES (:agencyId, :tenantId, 'twilio', :sid, :direction, '+14155550100', '+15005550006', :status) RETURNING id`,
    { replacements: { status: 'completed', direction: 'inbound', ...input, sid: `CA${randomUUID().replace(/-/g, '')}` }, type: QueryTypes.SELECT },
  );
  return { id: row!.id };
}

/** A valid body for PUT /api/v1/tenant/providers/whatsapp-cloud (fresh ids, so tenants never collide). */
export function whatsappCloudBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    accessToken: `EAAG${randomBytes(24).toString('hex')}`, appSecret: randomBytes(16).toString('hex'), verifyToken: randomBytes(12).toString('hex'),
    phoneNumberId: String(100_000_000_000 + Math.floor(Math.random() * 899_999_999_999)), displayNumber: freshUsNumber(), ...overrides,
  };
}
