import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryTypes, type Sequelize } from 'sequelize';
import request from 'supertest';
import { createLogger } from '../../src/logger.js';
import { evaluateSystemAlerts, type AlertDeps } from '../../src/modules/system-health/evaluate-alerts.js';
import { purgeOldWebhookFailures } from '../../src/modules/system-health/purge-webhook-failures.js';
import { createAgencyWorld, superuserSequelize, type WorldAgency } from '../support/accounts-world.js';
import { InMemoryMail } from '../support/in-memory-mail.js';
import { insertConversationMessage } from '../support/messaging-world.js';
import { insertParkedInbound } from '../support/system-health-world.js';
import { memberPrincipal, TestApi } from '../support/test-api.js';

type Snapshot = {
  alerts: { kind: string; subjectKey: string; detail: string }[];
  services: { name: string; status: string; detail: string }[];
  queues: { name: string; pending: number; oldestAgeSeconds: number | null; stuck: boolean }[];
  deadLetters: { kind: string; id: string; tenantId: string; tenantName: string; error: string | null }[];
  webhookFailures: { provider: string; failures: number }[];
  automationFailures: { workflowId: string; executionId: string | null }[];
  whatsappRescans: { tenantId: string; tenantName: string; state: string; lastError: string | null }[];
  backup: { state: string; detail: string };
  disk: { usedPercent?: number; error?: string };
  version: { app: string; pendingMigrations: string[] | null; detail: string };
};

describe('system health (agency)', () => {
  let db: Sequelize;
  let api: TestApi;
  let x: WorldAgency;
  let other: WorldAgency;
  let backupDir: string;

  before(async () => {
    db = superuserSequelize();
    backupDir = await mkdtemp(join(tmpdir(), 'sb-backup-'));
    api = TestApi.create({ BACKUP_STATUS_FILE: join(backupDir, 'status.json'), DATA_DIR: backupDir, ALERT_QUEUE_STUCK_MINUTES: '10' });
    x = await createAgencyWorld(db);
    other = await createAgencyWorld(db);
  });
  after(async () => {
    await api.close();
    await db.close();
    await rm(backupDir, { recursive: true, force: true });
  });

  const exec = <T extends object = Record<string, unknown>>(sql: string, replacements: Record<string, unknown> = {}) => db.query<T>(sql, { replacements, type: QueryTypes.SELECT });
  const operator = () => api.signIn(memberPrincipal(x.id, x.operator));
  const snapshot = async (): Promise<Snapshot> =>
    (await request(api.app).get('/api/v1/agency/system-health').set(operator()).expect(200)).body as Snapshot;
  const deadLetter = (kind: string, id: string, action: 'retry' | 'discard', headers = operator()) =>
    request(api.app).post(`/api/v1/agency/system-health/dead-letters/${kind}/${id}/${action}`).set(headers).send({});

  /** A message owed to the outbox since `minutesAgo`. */
  async function insertPendingOutbox(t: { agencyId: string; tenantId: string }, minutesAgo: number): Promise<string> {
    const { messageId } = await insertConversationMessage(db, t);
    await exec(`INSERT INTO message_outbox (agency_id, tenant_id, message_id, channel, available_at, created_at)
      VALUES (:agencyId, :tenantId, :messageId, 'sms', now() - make_interval(mins => :minutesAgo), now() - make_interval(mins => :minutesAgo)) RETURNING id`,
    { ...t, messageId, minutesAgo });
    return messageId;
  }

  it('when a message has waited in the outbox, then the snapshot shows it pending with its age, and only this agency\'s', async () => {
    const [a] = x.tenants;
    const messageId = await insertPendingOutbox({ agencyId: x.id, tenantId: a.id }, 5);
    await insertPendingOutbox({ agencyId: other.id, tenantId: other.tenants[0].id }, 30);

    const body = await snapshot();
    const outbox = body.queues.find((queue) => queue.name === 'outbox')!;
    expect(outbox.pending).to.equal(1);
    expect(outbox.oldestAgeSeconds).to.be.within(295, 400);
    expect(outbox.stuck).to.equal(false);
    expect(body.services.map((service) => service.name)).to.deep.equal(['api', 'worker', 'postgres', 'redis', 'n8n']);
    expect(body.services.find((service) => service.name === 'postgres')!.status).to.equal('ok');
    expect(body.version.pendingMigrations).to.deep.equal([]);
    expect(body.version.detail).to.equal('The database schema is up to date');
    expect(body.backup.state).to.equal('never');
    expect(body.disk.usedPercent).to.be.a('number');
    await exec('DELETE FROM message_outbox WHERE message_id = :messageId RETURNING id', { messageId });
  });

  it('when an inbound delivery is parked, then it is listed with its tenant and error, and retry makes it pending again (audited, once)', async () => {
    const [a] = x.tenants;
    const { id } = await insertParkedInbound(db, { agencyId: x.id, tenantId: a.id }, { error: 'contact lookup timed out' });

    const listed = (await snapshot()).deadLetters.find((item) => item.kind === 'inbound' && item.id === id)!;
    expect(listed).to.include({ tenantId: a.id, error: 'contact lookup timed out' });
    expect(listed.tenantName).to.match(/^Tenant /);

    expect((await deadLetter('inbound', id, 'retry').expect(200)).body).to.deep.equal({ kind: 'inbound', id, outcome: 'retried' });
    const [row] = await exec<{ failed_at: string | null; attempts: number }>('SELECT failed_at, attempts FROM inbound_queue WHERE id = :id', { id });
    expect(row).to.deep.include({ failed_at: null, attempts: 0 });
    expect((await snapshot()).deadLetters.map((item) => item.id)).not.to.include(id);
    expect((await snapshot()).queues.find((queue) => queue.name === 'inbound')!.pending).to.be.at.least(1);

    expect((await deadLetter('inbound', id, 'retry').expect(200)).body.outcome).to.equal('already_retried');
    const audit = await exec<{ action: string; actor_id: string }>(
      `SELECT action, actor_id FROM audit_events WHERE target_type = 'dead_letter' AND target_id = :target`, { target: `inbound:${id}` });
    expect(audit).to.deep.equal([{ action: 'dead_letter.retried', actor_id: x.operator.userId }]);
    await deadLetter('inbound', id, 'discard').expect(409);
  });

  it('when a parked inbound delivery is discarded, then it is gone, and discarding again answers the same', async () => {
    const { id } = await insertParkedInbound(db, { agencyId: x.id, tenantId: x.tenants[1].id });
    expect((await deadLetter('inbound', id, 'discard').expect(200)).body.outcome).to.equal('discarded');
    expect(await exec('SELECT id FROM inbound_queue WHERE id = :id', { id })).to.deep.equal([]);
    expect((await deadLetter('inbound', id, 'discard').expect(200)).body.outcome).to.equal('already_discarded');
    await deadLetter('inbound', id, 'retry').expect(404);
  });

  it('when a message is dead, then retry queues it again with fresh attempts and owes it to the outbox', async () => {
    const [a] = x.tenants;
    const { messageId } = await insertConversationMessage(db, { agencyId: x.id, tenantId: a.id }, { status: 'dead' });
    await exec(`UPDATE messages SET attempts = 6, error_code = 'attempts_exhausted', error_message = 'Gave up after 6 attempts' WHERE id = :messageId RETURNING id`, { messageId });
    const listed = (await snapshot()).deadLetters.find((item) => item.id === messageId)!;
    expect(listed).to.include({ kind: 'outbox', error: 'attempts_exhausted: Gave up after 6 attempts' });

    await deadLetter('outbox', messageId, 'retry').expect(200);
    const [message] = await exec<{ status: string; attempts: number }>('SELECT status, attempts FROM messages WHERE id = :messageId', { messageId });
    expect(message).to.deep.equal({ status: 'queued', attempts: 0 });
    expect(await exec('SELECT message_id FROM message_outbox WHERE message_id = :messageId', { messageId })).to.have.length(1);
    await exec('DELETE FROM message_outbox WHERE message_id = :messageId RETURNING id', { messageId });
  });

  it("when staff of another agency or a tenant user aim at this agency's dead letter, then 404 and 403, and it stays parked", async () => {
    const [a] = x.tenants;
    const { id } = await insertParkedInbound(db, { agencyId: x.id, tenantId: a.id });
    await deadLetter('inbound', id, 'retry', api.signIn(memberPrincipal(other.id, other.owner))).expect(404);
    await deadLetter('inbound', id, 'discard', api.signIn(memberPrincipal(other.id, other.operator))).expect(404);
    await deadLetter('inbound', id, 'retry', api.signIn(memberPrincipal(x.id, a.users.tenant_owner))).expect(403);
    await request(api.app).get('/api/v1/agency/system-health').set(api.signIn(memberPrincipal(x.id, a.users.tenant_admin))).expect(403);
    const [row] = await exec<{ parked: boolean }>('SELECT failed_at IS NOT NULL AS parked FROM inbound_queue WHERE id = :id', { id });
    expect(row!.parked).to.equal(true);
    await deadLetter('outbox', id, 'retry').expect(400);
  });

  it('when a Twilio webhook arrives with a forged signature, then it is refused and counted under Twilio', async () => {
    const before = await exec<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_failures WHERE provider = 'twilio'`);
    await request(api.app).post('/webhooks/twilio/sms/inbound').type('form').set('x-twilio-signature', 'forged')
      .send({ MessageSid: 'SM00000000000000000000000000000000', From: '+14155550111', To: '+19995550000', Body: 'hi' }).expect(403);
    const after = await exec<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_failures WHERE provider = 'twilio'`);
    expect(after[0]!.n).to.equal(before[0]!.n + 1);
    expect((await snapshot()).webhookFailures.find((row) => row.provider === 'twilio')!.failures).to.be.at.least(1);
  });

  it('when the retention loop runs, then rejected-signature notes older than 30 days are deleted and newer ones kept', async () => {
    const insert = (agencyId: string | null, days: number) => exec<{ id: string }>(
      `INSERT INTO webhook_failures (agency_id, provider, reason, created_at) VALUES (:agencyId, 'stripe', 'test', now() - make_interval(days => :days))
       RETURNING id::text AS id`, { agencyId, days });
    const [[oldOfAgency], [oldUnknown], [recent]] = [await insert(x.id, 31), await insert(null, 40), await insert(x.id, 29)];
    expect(await purgeOldWebhookFailures({ sequelize: api.container.sequelize })).to.be.at.least(2);
    const left = (await exec<{ id: string }>('SELECT id::text AS id FROM webhook_failures WHERE id IN (:ids)', {
      ids: [oldOfAgency!.id, oldUnknown!.id, recent!.id] })).map((row) => row.id);
    expect(left).to.deep.equal([recent!.id]);
  });

  it('when n8n reported a failed execution today, then it is listed with its workflow and execution ids', async () => {
    await exec(`INSERT INTO automation_failures (agency_id, tenant_id, workflow_id, workflow_name, execution_id, error_message)
      VALUES (:agencyId, :tenantId, 'wfHealth0000001', 'After call', '4711', 'boom') RETURNING id`, { agencyId: x.id, tenantId: x.tenants[0].id });
    const listed = (await snapshot()).automationFailures.find((row) => row.workflowId === 'wfHealth0000001');
    expect(listed).to.include({ executionId: '4711' });
  });

  describe('alerts', () => {
    let mail: InMemoryMail;
    let deps: AlertDeps;
    let ownerEmail: string;
    const openAlerts = () => exec<{ kind: string; subject_key: string; resolved_at: string | null }>(
      'SELECT kind, subject_key, resolved_at FROM system_alerts WHERE agency_id = :agencyId ORDER BY opened_at', { agencyId: x.id });
    const alertEvents = () => exec<{ data: { status: string; kind: string; subject: string } }>(
      `SELECT data FROM event_outbox WHERE agency_id = :agencyId AND type = 'system.alert' ORDER BY created_at, occurred_at`, { agencyId: x.id });

    before(async () => {
      mail = new InMemoryMail();
      deps = {
        sequelize: api.container.sequelize, events: api.container.events, mail, logger: createLogger({ logLevel: 'silent' }),
        portalUrl: 'https://portal.example.test', config: api.container.config.systemHealth,
      };
      ownerEmail = (await exec<{ email: string }>('SELECT email FROM users WHERE id = :id', { id: x.owner.userId }))[0]!.email;
    });

    it('when a queue is stuck, then one alert opens, system.alert is emitted and the owner is mailed once; it resolves when the queue moves', async () => {
      const messageId = await insertPendingOutbox({ agencyId: x.id, tenantId: x.tenants[0].id }, 20);
      await evaluateSystemAlerts(deps);
      await evaluateSystemAlerts(deps);

      const outboxAlerts = (await openAlerts()).filter((alert) => alert.kind === 'queue_stuck');
      expect(outboxAlerts).to.deep.equal([{ kind: 'queue_stuck', subject_key: 'outbox', resolved_at: null }]);
      const opened = (await alertEvents()).filter((event) => event.data.kind === 'queue_stuck');
      expect(opened.map((event) => event.data.status)).to.deep.equal(['opened']);
      const toOwner = mail.sent.filter((message) => message.to === ownerEmail && message.text.includes('Outgoing messages'));
      expect(toOwner).to.have.length(1);
      expect(toOwner[0]!.text).to.include('https://portal.example.test/agency/system');
      expect(mail.sent.map((message) => message.to)).not.to.include(
        (await exec<{ email: string }>('SELECT email FROM users WHERE id = :id', { id: x.operator.userId }))[0]!.email);
      const shown = (await snapshot()).alerts.find((alert) => alert.kind === 'queue_stuck')!;
      expect(shown.detail).to.match(/^Outgoing messages: the oldest of 1 waiting items has waited 2\d minutes$/);

      await exec('DELETE FROM message_outbox WHERE message_id = :messageId RETURNING id', { messageId });
      await evaluateSystemAlerts(deps);
      const after = (await openAlerts()).filter((alert) => alert.kind === 'queue_stuck');
      expect(after).to.have.length(1);
      expect(after[0]!.resolved_at).to.not.equal(null);
      expect((await alertEvents()).filter((event) => event.data.kind === 'queue_stuck').map((event) => event.data.status)).to.deep.equal(['opened', 'resolved']);
      expect((await snapshot()).alerts.map((alert) => alert.kind)).not.to.include('queue_stuck');
    });

    it('when the last backup failed, then the page says so and a backup alert opens; a later success resolves it', async () => {
      const file = join(backupDir, 'status.json');
      const now = new Date().toISOString();
      await writeFile(file, JSON.stringify({ lastSuccessAt: null, lastFailureAt: now, lastError: 'pg_dump: connection refused', file: null, bytes: null }));
      expect((await snapshot()).backup).to.include({ state: 'failed', detail: 'The last backup failed: pg_dump: connection refused' });
      await evaluateSystemAlerts(deps);
      expect((await openAlerts()).filter((alert) => alert.kind === 'backup' && alert.resolved_at === null)).to.have.length(1);

      await writeFile(file, JSON.stringify({ lastSuccessAt: new Date().toISOString(), lastFailureAt: now, lastError: null, file: 'b.dump', bytes: 1024 }));
      await evaluateSystemAlerts(deps);
      expect((await openAlerts()).filter((alert) => alert.kind === 'backup' && alert.resolved_at === null)).to.have.length(0);
      expect((await snapshot()).backup.state).to.equal('ok');
    });

    it('when a linked WhatsApp session is logged out, then it is listed for a re-scan and alerted for its tenant', async () => {
      const [, b] = x.tenants;
      await exec(`INSERT INTO whatsapp_linked_devices (tenant_id, agency_id, state, last_error) VALUES (:tenantId, :agencyId, 'logged_out', 'logged out on the phone') RETURNING tenant_id`,
        { tenantId: b.id, agencyId: x.id });
      const rescan = (await snapshot()).whatsappRescans.find((row) => row.tenantId === b.id);
      expect(rescan).to.include({ state: 'logged_out', lastError: 'logged out on the phone', tenantName: `Tenant ${b.slug}` });
      await evaluateSystemAlerts(deps);
      expect((await openAlerts()).filter((alert) => alert.kind === 'whatsapp_logged_out' && alert.resolved_at === null))
        .to.deep.equal([{ kind: 'whatsapp_logged_out', subject_key: b.id, resolved_at: null }]);
      const event = (await alertEvents()).find((row) => row.data.kind === 'whatsapp_logged_out')!;
      expect(event.data).to.include({ status: 'opened', subject: b.id });
    });
  });
});
