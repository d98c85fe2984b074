import type { ScopedDeps } from '../../db/scoped-deps.js';
import { QUEUE_LABELS } from './alert-conditions.js';
import { selectOpenAlerts, type SystemAlert } from './alert-repository.js';
import { APP_VERSION, readVersionStatus, type VersionStatus } from './app-version.js';
import { readBackupStatus, type BackupStatus } from './backup-status.js';
import { checkServices, type ServiceCheckDeps, type ServiceStatus } from './check-services.js';
import { selectDeadLetters, type DeadLetter } from './dead-letter-repository.js';
import { readDiskUsage, type DiskUsage } from './disk-usage.js';
import {
  selectRecentAutomationFailures, selectSessionsNeedingRescan, selectWebhookFailureCounts,
  type AutomationFailureRow, type RescanNeeded, type WebhookFailureCount,
} from './health-repository.js';
import { selectQueueBacklogs, type QueueBacklog } from './queue-repository.js';
import { countSendQueues, type SendQueueCounts } from './send-queue-counts.js';

export type SystemHealthDeps = ScopedDeps & ServiceCheckDeps & {
  queuePrefix: string;
  config: { dataDir: string; backupStatusFile?: string; queueStuckMinutes: number };
};

export type SystemHealth = {
  generatedAt: string;
  alerts: SystemAlert[];
  services: ServiceStatus[];
  queues: (QueueBacklog & { label: string; stuck: boolean })[];
  sendQueues: SendQueueCounts[] | null;
  deadLetters: DeadLetter[];
  whatsappRescans: RescanNeeded[];
  webhookFailures: WebhookFailureCount[];
  automationFailures: AutomationFailureRow[];
  disk: DiskUsage;
  backup: BackupStatus;
  version: VersionStatus;
  /** Set when the database could not be read: the sections that need it are then empty. */
  dataError: string | null;
};

const LIST_LIMIT = 100;

/** The agency's System health page in one snapshot; a dependency that is down is reported, never fatal. */
export async function readSystemHealth(deps: SystemHealthDeps, input: { agencyId: string }): Promise<SystemHealth> {
  const now = new Date();
  const { agencyId } = input;
  const [services, sendQueues, disk, backup, data] = await Promise.all([
    checkServices(deps, now),
    countSendQueues(deps.redis, deps.queuePrefix).catch(() => null),
    readDiskUsage(deps.config.dataDir),
    readBackupStatus(deps.config.backupStatusFile, now),
    deps.runInScope({ agencyId }, async (tx) => ({
      alerts: await selectOpenAlerts(tx, { agencyId }),
      backlogs: await selectQueueBacklogs(tx, { agencyId }),
      deadLetters: await selectDeadLetters(tx, { agencyId, limit: LIST_LIMIT }),
      whatsappRescans: await selectSessionsNeedingRescan(tx, { agencyId }),
      webhookFailures: await selectWebhookFailureCounts(tx, { agencyId }),
      automationFailures: await selectRecentAutomationFailures(tx, { agencyId, limit: LIST_LIMIT }),
      version: await readVersionStatus(tx),
    })).then(
      (value) => ({ ...value, dataError: null }),
      (err: Error) => ({
        alerts: [], backlogs: [], deadLetters: [], whatsappRescans: [], webhookFailures: [], automationFailures: [],
        version: { app: APP_VERSION, pendingMigrations: null, detail: 'Cannot tell whether an upgrade is pending: the database is not answering' },
        dataError: `The database could not be read: ${err.message}`,
      }),
    ),
  ]);
  const stuckAfterSeconds = deps.config.queueStuckMinutes * 60;
  const { backlogs, ...rest } = data;
  return {
    generatedAt: now.toISOString(),
    ...rest,
    services,
    queues: backlogs.map((queue) => ({ ...queue, label: QUEUE_LABELS[queue.name], stuck: (queue.oldestAgeSeconds ?? 0) > stuckAfterSeconds })),
    sendQueues,
    disk,
    backup,
  };
}
