// A fake of Twilio's REST API (2010-04-01) for tests, benchmarks and local demos: Messages and Calls,
// Basic auth per account, signed status callbacks, fault switches (see ../support/faults.ts) and
// per-destination outcomes. Point the official SDK at it with `client.api.baseUrl = fake.url`.
import { CallbackSender } from '../support/callbacks.js';
import { FakeProviderServer, type FakeRequest, type Reply } from '../support/fake-server.js';
import { Scheduler } from '../support/scheduler.js';
import { progressCall, progressMessage, type CallOutcome, type LifecycleDeps, type MessageOutcome } from './lifecycle.js';
import { createCall, createMessage, listMessages } from './rest-handlers.js';
import { accountJson, listNumbers, newNumber, numberJson, updateNumber, type NumberUpdate, type StoredNumber } from './numbers.js';
import { callJson, messageJson, twilioError, twilioSid, type StoredCall, type StoredMessage } from './resources.js';

export type TwilioAccount = { sid: string; authToken: string };
export type FakeTwilioOptions = { accounts?: TwilioAccount[]; deliverCallbacksTo?: string; stepMs?: number; port?: number };

const ROUTE = /^\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})\/(Messages|Calls)(?:\/((?:SM|MM|CA)[0-9a-fA-F]{32}))?\.json$/;
/** The account itself (GET: how credentials are verified) and its numbers (list, fetch, update webhooks). */
const ACCOUNT_ROUTE = /^\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})(?:\/IncomingPhoneNumbers(?:\/(PN[0-9a-fA-F]{32}))?)?\.json$/;

export class FakeTwilio extends FakeProviderServer {
  readonly accounts = new Map<string, string>();
  readonly messages: StoredMessage[] = [];
  readonly calls: StoredCall[] = [];
  /** Numbers bought on the accounts (IncomingPhoneNumbers), and every webhook update made to them. */
  readonly numbers: StoredNumber[] = [];
  readonly numberUpdates: NumberUpdate[] = [];
  readonly callbacks: CallbackSender;
  /** Delay between status steps (queued → sent → delivered). */
  stepMs: number;
  readonly messageOutcomes = new Map<string, MessageOutcome>();
  readonly callOutcomes = new Map<string, CallOutcome>();
  /** Destinations refused (messages and calls) with a Twilio error code (21211 invalid, 21610 unsubscribed...). */
  readonly rejectedNumbers = new Map<string, { code: number; message: string }>();
  private readonly scheduler = new Scheduler();

  constructor(options: FakeTwilioOptions = {}) {
    super();
    for (const account of options.accounts ?? []) this.accounts.set(account.sid, account.authToken);
    this.callbacks = new CallbackSender(options.deliverCallbacksTo);
    this.stepMs = options.stepMs ?? 5;
  }

  static async start(options: FakeTwilioOptions = {}): Promise<FakeTwilio> {
    return new FakeTwilio(options).listen(options.port ?? 0);
  }

  /** Registers an account (random SID and token unless given) with the phone numbers it owns. */
  addAccount(account: Partial<TwilioAccount> & { numbers?: string[] } = {}): TwilioAccount {
    const created = { sid: account.sid ?? twilioSid('AC'), authToken: account.authToken ?? twilioSid('AC').slice(2) };
    this.accounts.set(created.sid, created.authToken);
    for (const phoneNumber of account.numbers ?? []) this.addNumber(created.sid, phoneNumber);
    return created;
  }

  /** Gives an account a phone number (an IncomingPhoneNumber with no webhooks set). */
  addNumber(accountSid: string, phoneNumber: string): StoredNumber {
    const number = newNumber(accountSid, phoneNumber);
    this.numbers.push(number);
    return number;
  }

  /** The number as configured now (webhook URLs), or undefined. */
  numberConfig(phoneNumber: string): StoredNumber | undefined {
    return this.numbers.find((n) => n.phoneNumber === phoneNumber);
  }

  setMessageOutcome(to: string, outcome: MessageOutcome): this {
    this.messageOutcomes.set(to, outcome);
    return this;
  }

  setCallOutcome(to: string, outcome: CallOutcome): this {
    this.callOutcomes.set(to, outcome);
    return this;
  }

  rejectNumber(to: string, code = 21211, message = `The 'To' number ${to} is not a valid phone number.`): this {
    this.rejectedNumbers.set(to, { code, message });
    return this;
  }

  /** How many times each (To, Body, our message id) was accepted: "each message exactly once" is all 1s. */
  sendCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const m of this.messages) {
      const key = JSON.stringify([m.to, m.body, m.mid ?? null]);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  }

  countSends(match: { to?: string; body?: string; mid?: string }): number {
    return this.messages.filter((m) => (match.to === undefined || m.to === match.to) && (match.body === undefined || m.body === match.body) && (match.mid === undefined || m.mid === match.mid)).length;
  }

  /** (To, Body, mid) keys accepted more than once. */
  duplicates(): { to: string; body: string; mid: string | null; count: number }[] {
    return [...this.sendCounts()].filter(([, count]) => count > 1).map(([key, count]) => {
      const [to, body, mid] = JSON.parse(key) as [string, string, string | null];
      return { to, body, mid, count };
    });
  }

  /** Waits until every status step scheduled so far has run and its callback was answered. */
  async settled(): Promise<void> {
    await this.scheduler.idle();
    await this.callbacks.settled();
  }

  override async close(): Promise<void> {
    this.scheduler.cancel();
    await super.close();
  }

  protected resetState(): void {
    this.messages.length = 0;
    this.calls.length = 0;
    this.numberUpdates.length = 0;
    this.messageOutcomes.clear();
    this.callOutcomes.clear();
    this.rejectedNumbers.clear();
    this.callbacks.reset();
    this.scheduler.cancel();
  }

  protected isFaultable(req: FakeRequest): boolean {
    return req.method === 'POST' && ROUTE.exec(req.path)?.[3] === undefined;
  }

  protected errorBody(status: number, code: number | string | undefined, message: string): unknown {
    return twilioError(status, code, message);
  }

  protected handle(req: FakeRequest): Reply {
    const accountMatch = ACCOUNT_ROUTE.exec(req.path);
    if (accountMatch) return this.handleAccount(req, accountMatch[1]!, accountMatch[2]);
    const match = ROUTE.exec(req.path);
    if (!match) return { status: 404, body: twilioError(404, 20404, 'The requested resource was not found') };
    const [, accountSid, resource, sid] = match as unknown as [string, string, 'Messages' | 'Calls', string | undefined];
    if (!this.authenticated(req, accountSid)) return this.unauthorized();
    if (req.method === 'POST' && !sid) {
      return resource === 'Messages' ? this.acceptMessage(req, accountSid) : this.acceptCall(req, accountSid);
    }
    if (req.method === 'GET' && sid) {
      const found = resource === 'Messages' ? this.messages.find((m) => m.sid === sid) : this.calls.find((c) => c.sid === sid);
      if (!found || found.accountSid !== accountSid) return { status: 404, body: twilioError(404, 20404, `The requested resource ${req.path} was not found`) };
      return { status: 200, body: resource === 'Messages' ? messageJson(found as StoredMessage) : callJson(found as StoredCall) };
    }
    if (req.method === 'GET' && resource === 'Messages') return listMessages(this.messages, accountSid, req.query);
    return { status: 405, body: twilioError(405, 20004, 'Method not allowed') };
  }

  protected override control(action: string, input: Record<string, unknown>): unknown {
    if (action === 'message-outcome') return this.setMessageOutcome(String(input.to), input as unknown as MessageOutcome);
    if (action === 'call-outcome') return this.setCallOutcome(String(input.to), input as unknown as CallOutcome);
    if (action === 'reject-number') return this.rejectNumber(String(input.to), input.code === undefined ? undefined : Number(input.code));
    if (action === 'account') return this.addAccount(input as Partial<TwilioAccount> & { numbers?: string[] });
    if (action === 'number') return numberJson(this.addNumber(String(input.accountSid), String(input.phoneNumber)));
    return undefined;
  }

  protected override state(): unknown {
    return {
      messages: this.messages.map(messageJson), calls: this.calls.map(callJson), duplicates: this.duplicates(),
      callbacks: this.callbacks.deliveries, numbers: this.numbers.map(numberJson), numberUpdates: this.numberUpdates,
    };
  }

  private unauthorized(): Reply {
    return { status: 401, body: twilioError(401, 20003, 'Authenticate'), headers: { 'www-authenticate': 'Basic realm="Twilio API"' } };
  }

  private handleAccount(req: FakeRequest, accountSid: string, numberSid: string | undefined): Reply {
    if (!this.authenticated(req, accountSid)) return this.unauthorized();
    const isNumbers = req.path.includes('/IncomingPhoneNumbers');
    if (!isNumbers) return req.method === 'GET' ? { status: 200, body: accountJson(accountSid) } : { status: 405, body: twilioError(405, 20004, 'Method not allowed') };
    if (!numberSid) return req.method === 'GET' ? listNumbers(this.numbers, accountSid, req.query) : { status: 405, body: twilioError(405, 20004, 'Method not allowed') };
    const number = this.numbers.find((n) => n.sid === numberSid && n.accountSid === accountSid);
    if (!number) return { status: 404, body: twilioError(404, 20404, `The requested resource ${req.path} was not found`) };
    if (req.method === 'GET') return { status: 200, body: numberJson(number) };
    if (req.method === 'POST') return updateNumber(number, req.form, this.numberUpdates);
    return { status: 405, body: twilioError(405, 20004, 'Method not allowed') };
  }

  private authenticated(req: FakeRequest, accountSid: string): boolean {
    const header = req.headers.authorization ?? '';
    if (!header.startsWith('Basic ')) return false;
    const [user, ...rest] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
    return user === accountSid && this.accounts.has(accountSid) && this.accounts.get(accountSid) === rest.join(':');
  }

  private lifecycle(): LifecycleDeps {
    return { callbacks: this.callbacks, scheduler: this.scheduler, stepMs: this.stepMs, tokenFor: (sid) => this.accounts.get(sid) ?? '' };
  }

  private acceptMessage(req: FakeRequest, accountSid: string): Reply {
    const result = createMessage(req.form, accountSid, this.rejectedNumbers);
    if ('error' in result) return result.error;
    this.messages.push(result.message);
    progressMessage(this.lifecycle(), result.message, this.messageOutcomes.get(result.message.to) ?? { status: 'delivered' });
    return { status: 201, body: messageJson(result.message) };
  }

  private acceptCall(req: FakeRequest, accountSid: string): Reply {
    const result = createCall(req.form, req.formParams.getAll('StatusCallbackEvent'), accountSid, this.rejectedNumbers);
    if ('error' in result) return result.error;
    this.calls.push(result.call);
    progressCall(this.lifecycle(), result.call, this.callOutcomes.get(result.call.to) ?? { status: 'completed' });
    return { status: 201, body: callJson(result.call) };
  }
}
