// A local fake of Meta's WhatsApp Cloud API: POST /{version}/{phone-number-id}/messages (text and
// templates, bearer token per number), statuses delivered back to the tenant's webhook signed exactly as
// Meta signs them (X-Hub-Signature-256 = "sha256=" + HMAC-SHA256(app secret, raw body)), and inbound
// messages on demand. Switches: the shared faults, and numbers without a WhatsApp account (accepted, then
// a `failed` status with error 131026, as Meta does).
import { createHmac, randomBytes } from 'node:crypto';
import { FakeProviderServer, type FakeRequest, type Reply } from '../support/fake-server.js';

export type CloudNumber = { phoneNumberId: string; displayNumber: string; accessToken: string; appSecret: string; webhookUrl: string };
export type CloudSend = { id: string; at: number; phoneNumberId: string; to: string; type: string; body?: string; template?: string };

const MESSAGES_PATH = /^\/v\d+\.\d+\/(\d+)\/messages$/;

export class FakeWhatsAppCloud extends FakeProviderServer {
  readonly numbers = new Map<string, CloudNumber>();
  readonly sends: CloudSend[] = [];
  /** Recipients (digits, no +) that have no WhatsApp account. */
  readonly withoutWhatsApp = new Set<string>();
  /** Statuses to report after each send (in order, `stepMs` apart); empty = none. */
  statusSteps: ('sent' | 'delivered' | 'read')[] = ['sent', 'delivered'];
  stepMs = 50;
  readonly webhookResults: { url: string; status?: number; error?: string }[] = [];

  static async start(options: { port?: number } = {}): Promise<FakeWhatsAppCloud> {
    return new FakeWhatsAppCloud().listen(options.port ?? 0);
  }

  get graphBaseUrl(): string {
    return `${this.url}/v21.0`;
  }

  addNumber(input: Omit<CloudNumber, 'accessToken' | 'appSecret'> & Partial<Pick<CloudNumber, 'accessToken' | 'appSecret'>>): CloudNumber {
    const number = { accessToken: `EAAG${randomBytes(24).toString('hex')}`, appSecret: randomBytes(16).toString('hex'), ...input };
    this.numbers.set(number.phoneNumberId, number);
    return number;
  }

  sendsTo(recipient: string): CloudSend[] {
    const digits = recipient.replace(/^\+/, '');
    return this.sends.filter((send) => send.to === digits);
  }

  /** A customer's message to the business number, delivered to the webhook like Meta does. */
  async deliverInbound(phoneNumberId: string, input: { from: string; text: string; id?: string }): Promise<{ status: number; id: string }> {
    const number = this.numbers.get(phoneNumberId)!;
    const id = input.id ?? `wamid.${randomBytes(12).toString('hex')}`;
    const message = { from: input.from.replace(/^\+/, ''), id, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: input.text } };
    const status = await this.postWebhook(number, { messages: [message], contacts: [{ wa_id: message.from, profile: { name: 'Customer' } }] });
    return { status, id };
  }

  /** Meta's delivery format, signed with the number's app secret (or `signWith`, for forgeries). */
  signedDelivery(number: CloudNumber, value: Record<string, unknown>, signWith = number.appSecret): { body: string; signature: string } {
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [{ id: 'WABA_ID', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: number.displayNumber.replace(/^\+/, ''), phone_number_id: number.phoneNumberId }, ...value } }] }],
    });
    return { body, signature: `sha256=${createHmac('sha256', signWith).update(body).digest('hex')}` };
  }

  async postWebhook(number: CloudNumber, value: Record<string, unknown>): Promise<number> {
    const { body, signature } = this.signedDelivery(number, value);
    const result: { url: string; status?: number; error?: string } = { url: number.webhookUrl };
    this.webhookResults.push(result);
    try {
      const res = await fetch(number.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, body });
      result.status = res.status;
      await res.arrayBuffer();
      return res.status;
    } catch (err) {
      result.error = String(err);
      return 0;
    }
  }

  protected isFaultable(req: FakeRequest): boolean {
    return req.method === 'POST' && MESSAGES_PATH.test(req.path);
  }

  protected errorBody(status: number, code: number | string | undefined, message: string): unknown {
    return { error: { message, type: 'OAuthException', code: code ?? (status === 429 ? 130429 : 131000), fbtrace_id: randomBytes(6).toString('hex') } };
  }

  protected resetState(): void {
    this.sends.length = 0;
    this.withoutWhatsApp.clear();
    this.statusSteps = ['sent', 'delivered'];
  }

  protected override state(): unknown {
    return { numbers: [...this.numbers.keys()], sends: this.sends };
  }

  protected handle(req: FakeRequest): Reply {
    const match = MESSAGES_PATH.exec(req.path);
    const number = match && this.numbers.get(match[1]!);
    if (!match || req.method !== 'POST') return { status: 404, body: this.errorBody(404, 100, 'Unknown path') };
    if (!number) return { status: 400, body: this.errorBody(400, 100, 'Unsupported post request: unknown phone number id') };
    if (req.headers.authorization !== `Bearer ${number.accessToken}`) return { status: 401, body: this.errorBody(401, 190, 'Invalid OAuth access token') };
    const payload = JSON.parse(req.rawBody || '{}') as { to?: string; type?: string; text?: { body?: string }; template?: { name?: string } };
    if (!payload.to || (payload.type !== 'text' && payload.type !== 'template')) return { status: 400, body: this.errorBody(400, 100, 'Invalid parameter') };
    const send: CloudSend = {
      id: `wamid.${randomBytes(12).toString('hex')}`, at: Date.now(), phoneNumberId: number.phoneNumberId, to: payload.to, type: payload.type,
      ...(payload.text?.body !== undefined && { body: payload.text.body }), ...(payload.template?.name && { template: payload.template.name }),
    };
    this.sends.push(send);
    this.reportStatuses(number, send);
    return { status: 200, body: { messaging_product: 'whatsapp', contacts: [{ input: payload.to, wa_id: payload.to }], messages: [{ id: send.id }] } };
  }

  private reportStatuses(number: CloudNumber, send: CloudSend): void {
    const failed = this.withoutWhatsApp.has(send.to);
    const steps: string[] = failed ? ['failed'] : [...this.statusSteps];
    steps.forEach((status, i) => {
      setTimeout(() => {
        const entry = { id: send.id, status, timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: send.to,
          ...(failed && { errors: [{ code: 131026, title: 'Message undeliverable', message: 'Receiver is incapable of receiving this message' }] }) };
        void this.postWebhook(number, { statuses: [entry] });
      }, this.stepMs * (i + 1));
    });
  }
}
