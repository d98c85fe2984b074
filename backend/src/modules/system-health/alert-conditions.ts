import type { BackupStatus } from './backup-status.js';
import { DISK_ALERT_PERCENT, type DiskUsage } from './disk-usage.js';
import type { RescanNeeded } from './health-repository.js';
import type { QueueBacklog, QueueName } from './queue-repository.js';

export const ALERT_KINDS = ['queue_stuck', 'whatsapp_logged_out', 'backup', 'disk_full'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
/** Something wrong right now; `subjectKey` tells two of a kind apart (which queue, which tenant). */
export type AlertCondition = { kind: AlertKind; subjectKey: string; tenantId: string | null; detail: string };

export const QUEUE_LABELS: Record<QueueName, string> = {
  outbox: 'Outgoing messages',
  inbound: 'Incoming messages',
  agent_turns: 'AI agent replies',
  event_relay: 'Events',
  webhook_deliveries: 'Webhook deliveries (n8n)',
};

export type AlertInputs = {
  backlogs: readonly QueueBacklog[];
  sessions: readonly RescanNeeded[];
  backup: BackupStatus;
  disk: DiskUsage;
  queueStuckMinutes: number;
};

/** The rules, in one place: which facts are worth waking someone for. Pure, so each rule is tested on its own. */
export function findAlertConditions(input: AlertInputs): AlertCondition[] {
  const conditions: AlertCondition[] = [];
  for (const queue of input.backlogs) {
    if (queue.oldestAgeSeconds !== null && queue.oldestAgeSeconds > input.queueStuckMinutes * 60) {
      const minutes = Math.floor(queue.oldestAgeSeconds / 60);
      conditions.push({
        kind: 'queue_stuck', subjectKey: queue.name, tenantId: null,
        detail: `${QUEUE_LABELS[queue.name]}: the oldest of ${queue.pending} waiting items has waited ${minutes} minutes`,
      });
    }
  }
  for (const session of input.sessions) {
    if (session.state !== 'logged_out') continue;
    conditions.push({
      kind: 'whatsapp_logged_out', subjectKey: session.tenantId, tenantId: session.tenantId,
      detail: `WhatsApp of ${session.tenantName} is logged out: scan a new QR code on its Channels page`,
    });
  }
  if (['failed', 'stale', 'unreadable'].includes(input.backup.state)) {
    conditions.push({ kind: 'backup', subjectKey: 'backup', tenantId: null, detail: input.backup.detail });
  }
  if ('usedPercent' in input.disk && input.disk.usedPercent >= DISK_ALERT_PERCENT) {
    conditions.push({ kind: 'disk_full', subjectKey: input.disk.path, tenantId: null, detail: `The disk holding ${input.disk.path} is ${input.disk.usedPercent}% full` });
  }
  return conditions;
}
