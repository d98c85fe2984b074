import type { Sequelize } from 'sequelize';
import { withScope } from '../../db/tenant-scope.js';
import type { Logger } from '../../logger.js';
import type { EventBus } from '../../ports/events.js';
import type { MailPort } from '../../ports/mail.js';
import { listAgencyIds } from '../outbox/outbox-repository.js';
import { findAlertConditions } from './alert-conditions.js';
import { claimAlertsToNotify, resolveClearedAlerts, selectAgencyAdminEmails, upsertOpenAlert, type SystemAlert } from './alert-repository.js';
import { readBackupStatus } from './backup-status.js';
import { readDiskUsage } from './disk-usage.js';
import { selectSessionsNeedingRescan } from './health-repository.js';
import { selectQueueBacklogs } from './queue-repository.js';

export type AlertDeps = {
  sequelize: Sequelize;
  events: EventBus;
  mail: MailPort;
  logger: Logger;
  /** The portal's base URL: alert mails link to its System health page. */
  portalUrl: string;
  config: { dataDir: string; backupStatusFile?: string; queueStuckMinutes: number };
};

/**
 * One pass of the alert loop (every minute in the worker): per agency, each condition that holds opens one
 * alert (kept open, not repeated, while it holds), each alert whose condition is gone is resolved; both emit
 * `system.alert`. Open alerts are mailed to the agency owners when opened, and again daily while open.
 * Returns 0: the polling loop must wait its minute, never run again at once.
 */
export async function evaluateSystemAlerts(deps: AlertDeps): Promise<number> {
  const [backup, disk] = await Promise.all([readBackupStatus(deps.config.backupStatusFile), readDiskUsage(deps.config.dataDir)]);
  const agencyIds = await deps.sequelize.transaction((tx) => listAgencyIds(tx));
  for (const agencyId of agencyIds) {
    const { due, admins } = await withScope(deps.sequelize, { agencyId }, async (tx) => {
      const backlogs = await selectQueueBacklogs(tx, { agencyId });
      const sessions = await selectSessionsNeedingRescan(tx, { agencyId });
      const conditions = findAlertConditions({ backlogs, sessions, backup, disk, queueStuckMinutes: deps.config.queueStuckMinutes });
      for (const condition of conditions) {
        const { alert, opened } = await upsertOpenAlert(tx, { agencyId, ...condition });
        if (opened) await publishAlert(deps, tx, agencyId, alert, 'opened');
      }
      for (const alert of await resolveClearedAlerts(tx, { agencyId, stillOpen: conditions })) await publishAlert(deps, tx, agencyId, alert, 'resolved');
      return { due: await claimAlertsToNotify(tx, { agencyId }), admins: await selectAgencyAdminEmails(tx, { agencyId }) };
    });
    // After the commit: a mail server that hangs never holds the alert rows locked. A mail that fails is logged, not retried.
    if (due.length > 0) await mailAlerts(deps, due, admins);
  }
  return 0;
}

async function publishAlert(deps: AlertDeps, tx: unknown, agencyId: string, alert: SystemAlert, status: 'opened' | 'resolved'): Promise<void> {
  deps.logger.warn({ agencyId, alert: alert.kind, subject: alert.subjectKey, status }, `system alert ${status}: ${alert.detail}`);
  await deps.events.publish(
    {
      type: 'system.alert', agencyId, tenantId: alert.tenantId ?? '',
      data: { alertId: alert.id, kind: alert.kind, subject: alert.subjectKey, status, detail: alert.detail, openedAt: alert.openedAt, resolvedAt: alert.resolvedAt },
    },
    { transaction: tx },
  );
}

async function mailAlerts(deps: AlertDeps, alerts: readonly SystemAlert[], admins: readonly string[]): Promise<void> {
  const link = `${deps.portalUrl}/agency/system`;
  const text = [
    'Switchboard needs attention:',
    '',
    ...alerts.map((alert) => `- ${alert.detail} (since ${alert.openedAt})`),
    '',
    `Details and actions: ${link}`,
    'You get this mail when an alert opens, and once a day while it stays open.',
  ].join('\n');
  const subject = alerts.length === 1 ? `Switchboard alert: ${alerts[0]!.detail}` : `Switchboard: ${alerts.length} alerts need attention`;
  for (const to of admins) {
    try {
      await deps.mail.send({ to, subject: subject.slice(0, 200), text });
    } catch (err) {
      deps.logger.warn({ err: (err as Error).message }, 'alert mail not sent');
    }
  }
}
