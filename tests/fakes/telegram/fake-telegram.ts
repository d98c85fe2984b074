// A local fake of the Telegram Bot API: POST /bot<token>/<method> (getMe, setWebhook, deleteWebhook,
// getWebhookInfo, getUpdates, sendMessage, sendChatAction), as the official client (node-telegram-bot-api 2.x,
// `apiRoot` pointed here) calls it. Updates from users go to the bot's webhook with its
// X-Telegram-Bot-Api-Secret-Token, exactly as Telegram sends them, or wait for getUpdates when no webhook is set.
// Switches: the shared faults (fail, timeout), and flood control (429 with parameters.retry_after).
import { randomBytes, randomInt } from 'node:crypto';
import { FakeProviderServer, type FakeRequest, type Reply } from '../support/fake-server.js';

export type FakeBot = { id: number; token: string; username: string; webhook?: { url: string; secretToken?: string }; queued: Update[]; nextUpdateId: number };
export type Update = { update_id: number; message?: Record<string, unknown> };
export type SentMessage = { botId: number; chatId: string; text: string; messageId: number; at: number };

const PATH = /^\/bot([^/]+)\/([A-Za-z]+)$/;

export class FakeTelegram extends FakeProviderServer {
  readonly bots = new Map<string, FakeBot>();
  readonly sent: SentMessage[] = [];
  readonly chatActions: { chatId: string; action: string; at: number }[] = [];
  private floodWaits: number[] = [];

  static async start(options: { port?: number } = {}): Promise<FakeTelegram> {
    return new FakeTelegram().listen(options.port ?? 0);
  }

  addBot(username = `shop${randomInt(1000, 9999)}_bot`): FakeBot {
    const id = randomInt(1_000_000_000, 7_999_999_999);
    const bot: FakeBot = { id, token: `${id}:AA${randomBytes(24).toString('base64url')}`, username, queued: [], nextUpdateId: randomInt(100_000, 900_000) };
    this.bots.set(bot.token, bot);
    return bot;
  }

  /** The next `count` sendMessage calls answer 429 with this retry_after (seconds), like Telegram's flood control. */
  floodNext(count: number, retryAfterSeconds: number): void {
    for (let i = 0; i < count; i += 1) this.floodWaits.push(retryAfterSeconds);
  }

  sentTo(chatId: string | number): SentMessage[] {
    return this.sent.filter((m) => m.chatId === String(chatId));
  }

  /** A user's text message to the bot (a new update id each time unless `updateId` is given). */
  userMessage(bot: FakeBot, input: { chatId: number; text: string; firstName?: string; updateId?: number; messageId?: number }): Update {
    const updateId = input.updateId ?? (bot.nextUpdateId += 1);
    return {
      update_id: updateId,
      message: {
        message_id: input.messageId ?? updateId, date: Math.floor(Date.now() / 1000), text: input.text,
        chat: { id: input.chatId, type: 'private', first_name: input.firstName ?? 'Ana' },
        from: { id: input.chatId, is_bot: false, first_name: input.firstName ?? 'Ana' },
        ...(input.text.startsWith('/') && { entities: [{ type: 'bot_command', offset: 0, length: input.text.split(' ')[0]!.length }] }),
      },
    };
  }

  /** Sends the update to the bot's webhook (with its secret token, or `secretToken` to forge), or queues it for getUpdates. */
  async deliver(bot: FakeBot, update: Update, options: { secretToken?: string | null } = {}): Promise<number | 'queued'> {
    if (!bot.webhook) {
      bot.queued.push(update);
      return 'queued';
    }
    const secret = options.secretToken === undefined ? bot.webhook.secretToken : options.secretToken;
    const res = await fetch(bot.webhook.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
      body: JSON.stringify(update),
    });
    await res.arrayBuffer();
    return res.status;
  }

  protected isFaultable(req: FakeRequest): boolean {
    return req.path.endsWith('/sendMessage');
  }

  protected errorBody(status: number, code: number | string | undefined, message: string): unknown {
    return { ok: false, error_code: code ?? status, description: message, ...(status === 429 && { parameters: { retry_after: 1 } }) };
  }

  protected resetState(): void {
    this.sent.length = 0;
    this.chatActions.length = 0;
    this.floodWaits = [];
  }

  protected handle(req: FakeRequest): Reply {
    const match = PATH.exec(req.path);
    const bot = match && this.bots.get(match[1]!);
    if (!match || !bot) return { status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } };
    const params = { ...req.form, ...(req.rawBody.startsWith('{') ? (JSON.parse(req.rawBody) as Record<string, unknown>) : {}) };
    const ok = (result: unknown): Reply => ({ status: 200, body: { ok: true, result } });
    switch (match[2]) {
      case 'getMe':
        return ok({ id: bot.id, is_bot: true, first_name: 'Shop', username: bot.username, can_join_groups: true });
      case 'setWebhook':
        bot.webhook = { url: String(params.url), ...(params.secret_token ? { secretToken: String(params.secret_token) } : {}) };
        return ok(true);
      case 'deleteWebhook':
        delete bot.webhook;
        return ok(true);
      case 'getWebhookInfo':
        return ok({ url: bot.webhook?.url ?? '', has_custom_certificate: false, pending_update_count: bot.queued.length });
      case 'getUpdates': {
        if (bot.webhook) return { status: 409, body: { ok: false, error_code: 409, description: "Conflict: can't use getUpdates method while webhook is active" } };
        const offset = Number(params.offset ?? 0);
        bot.queued = bot.queued.filter((u) => u.update_id >= offset);
        return ok(bot.queued.slice(0, Number(params.limit ?? 100)));
      }
      case 'sendChatAction':
        this.chatActions.push({ chatId: String(params.chat_id), action: String(params.action), at: Date.now() });
        return ok(true);
      case 'sendMessage': {
        const wait = this.floodWaits.shift();
        if (wait !== undefined) return { status: 429, body: { ok: false, error_code: 429, description: `Too Many Requests: retry after ${wait}`, parameters: { retry_after: wait } } };
        if (!params.text) return { status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: message text is empty' } };
        const message: SentMessage = { botId: bot.id, chatId: String(params.chat_id), text: String(params.text), messageId: this.sent.length + 1, at: Date.now() };
        this.sent.push(message);
        return ok({ message_id: message.messageId, date: Math.floor(message.at / 1000), chat: { id: Number(params.chat_id), type: 'private' }, text: message.text });
      }
      default:
        return { status: 404, body: { ok: false, error_code: 404, description: 'Not Found: method not found' } };
    }
  }
}
