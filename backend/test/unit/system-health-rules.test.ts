import { expect } from 'chai';
import { findAlertConditions, type AlertInputs } from '../../src/modules/system-health/alert-conditions.js';
import { judgeBackup } from '../../src/modules/system-health/backup-status.js';

const NOW = new Date('2026-12-07T12:00:00Z');
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000).toISOString();
const quiet: AlertInputs = {
  backlogs: [{ name: 'outbox', pending: 0, oldestAgeSeconds: null }],
  sessions: [],
  backup: { state: 'unconfigured', detail: 'No backups configured' },
  disk: { path: '/data', totalBytes: 100, freeBytes: 50, usedPercent: 50 },
  queueStuckMinutes: 10,
};

describe('system health rules', () => {
  describe('judgeBackup', () => {
    const status = { lastSuccessAt: null, lastFailureAt: null, lastError: null, file: null, bytes: null };

    it('when the last failure is newer than the last success, then the backup failed, with its error', () => {
      const judged = judgeBackup({ ...status, lastSuccessAt: hoursAgo(30), lastFailureAt: hoursAgo(2), lastError: 'disk full' }, NOW);
      expect(judged).to.include({ state: 'failed', detail: 'The last backup failed: disk full' });
    });

    it('when the last success is older than 26 hours, then it is stale; within 26 hours it is ok', () => {
      expect(judgeBackup({ ...status, lastSuccessAt: hoursAgo(27) }, NOW).state).to.equal('stale');
      expect(judgeBackup({ ...status, lastSuccessAt: hoursAgo(25), lastFailureAt: hoursAgo(40) }, NOW).state).to.equal('ok');
    });

    it('when nothing ever succeeded or failed, then no backup has run', () => {
      expect(judgeBackup(status, NOW).state).to.equal('never');
    });
  });

  describe('findAlertConditions', () => {
    it('when everything is quiet (and backups are not configured), then nothing is alerted', () => {
      expect(findAlertConditions(quiet)).to.deep.equal([]);
    });

    it('when the oldest item of a queue waited longer than the limit, then that queue is stuck; exactly at the limit it is not', () => {
      const conditions = findAlertConditions({ ...quiet, backlogs: [
        { name: 'outbox', pending: 3, oldestAgeSeconds: 601 },
        { name: 'inbound', pending: 1, oldestAgeSeconds: 600 },
      ] });
      expect(conditions.map((c) => [c.kind, c.subjectKey])).to.deep.equal([['queue_stuck', 'outbox']]);
      expect(conditions[0]!.detail).to.equal('Outgoing messages: the oldest of 3 waiting items has waited 10 minutes');
    });

    it('when a WhatsApp session is logged out, then its tenant is alerted; a QR code still pending is only listed', () => {
      const conditions = findAlertConditions({ ...quiet, sessions: [
        { tenantId: 't-1', tenantName: 'Acme Dental', state: 'logged_out', lastError: null, since: hoursAgo(1) },
        { tenantId: 't-2', tenantName: 'Bravo', state: 'qr', lastError: null, since: hoursAgo(1) },
      ] });
      expect(conditions.map((c) => [c.kind, c.subjectKey, c.tenantId])).to.deep.equal([['whatsapp_logged_out', 't-1', 't-1']]);
    });

    it('when the backup failed or is stale, or the disk is 85 % used, then each is alerted once', () => {
      const conditions = findAlertConditions({
        ...quiet,
        backup: { state: 'stale', detail: 'The last successful backup is 30 hours old' },
        disk: { path: '/data', totalBytes: 100, freeBytes: 15, usedPercent: 85 },
      });
      expect(conditions.map((c) => c.kind)).to.deep.equal(['backup', 'disk_full']);
      expect(findAlertConditions({ ...quiet, disk: { path: '/data', totalBytes: 100, freeBytes: 16, usedPercent: 84.9 } })).to.deep.equal([]);
    });
  });
});
