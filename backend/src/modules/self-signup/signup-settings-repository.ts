import type { Transaction } from 'sequelize';
import { queryOne, queryRows } from '../../db/sql.js';

/** Whether the agency offers self sign-up (agency_billing_settings.self_signup_enabled) and which plans, in order. */
export type SignupSettingsRow = { enabled: boolean; planIds: string[] };

export async function findSignupSettings(tx: Transaction, agencyId: string): Promise<SignupSettingsRow> {
  const flag = await queryOne<{ enabled: boolean }>(
    tx, 'SELECT self_signup_enabled AS enabled FROM agency_billing_settings WHERE agency_id = :agencyId', { agencyId },
  );
  const plans = await queryRows<{ planId: string }>(
    tx, 'SELECT plan_id AS "planId" FROM self_signup_plans WHERE agency_id = :agencyId ORDER BY position, plan_id', { agencyId },
  );
  return { enabled: flag?.enabled ?? false, planIds: plans.map((row) => row.planId) };
}

/** Saves the switch (creating the settings row with its defaults) and replaces the offered plans. */
export async function saveSignupSettings(tx: Transaction, agencyId: string, settings: SignupSettingsRow): Promise<void> {
  await queryRows(
    tx,
    `INSERT INTO agency_billing_settings AS s (agency_id, self_signup_enabled) VALUES (:agencyId, :enabled)
     ON CONFLICT (agency_id) DO UPDATE SET self_signup_enabled = EXCLUDED.self_signup_enabled, updated_at = now()`,
    { agencyId, enabled: settings.enabled },
  );
  await queryRows(tx, 'DELETE FROM self_signup_plans WHERE agency_id = :agencyId', { agencyId });
  for (const [position, planId] of settings.planIds.entries()) {
    await queryRows(tx, 'INSERT INTO self_signup_plans (agency_id, plan_id, position) VALUES (:agencyId, :planId, :position)', { agencyId, planId, position });
  }
}
