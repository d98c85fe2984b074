import { Api, NetworkError, ParseError, TelegramApiError, TimeoutError } from 'node-telegram-bot-api';
import type { TelegramOptions } from './telegram.js';

export type TelegramUpdate = { update_id: number; message?: TelegramIncoming };
export type TelegramIncoming = { message_id: number; date?: number; text?: string; chat: { id: number; type?: string; first_name?: string; username?: string } };

/** A Bot API call that failed: Telegram could not be reached (network, timeout), or answered with an error. */
export class TelegramCallError extends Error {
  constructor(
    message: string,
    readonly kind: 'unreachable' | 'failed',
    readonly details: { errorCode?: number } = {},
  ) {
    super(message);
    this.name = 'TelegramCallError';
  }
}

function asCallError(method: string, err: unknown): unknown {
  if (err instanceof TimeoutError) return new TelegramCallError(`${method} timed out`, 'unreachable');
  // The client reports a 5xx without Telegram's JSON envelope as a NetworkError "Server error <status> ...".
  if (err instanceof NetworkError) return new TelegramCallError(`${method}: ${err.message}`, /^Server error/.test(err.message) ? 'failed' : 'unreachable');
  if (err instanceof TelegramApiError) return new TelegramCallError(`${method}: ${err.description}`, 'failed', { errorCode: err.errorCode });
  if (err instanceof ParseError) return new TelegramCallError(`${method}: the answer was not Telegram's JSON`, 'failed');
  return err;
}

/**
 * Bot administration calls (connect, webhook registration, long polling) with the official client.
 * Failures are TelegramCallError (unreachable or failed), except identify's refused token.
 */
export class TelegramBotAdmin {
  constructor(private readonly options: TelegramOptions) {}

  /** The bot behind a token, or undefined when Telegram refuses the token. */
  async identify(token: string): Promise<{ id: string; username: string } | undefined> {
    try {
      const me = await this.api(token).getMe();
      return { id: String(me.id), username: me.username ?? String(me.id) };
    } catch (err) {
      if (err instanceof TelegramApiError && (err.errorCode === 401 || err.errorCode === 404)) return undefined;
      throw asCallError('getMe', err);
    }
  }

  async useWebhook(token: string, url: string, secretToken: string): Promise<void> {
    await this.api(token).setWebhook({ url, secret_token: secretToken, allowed_updates: ['message'] }).catch((err: unknown) => {
      throw asCallError('setWebhook', err);
    });
  }

  async useLongPolling(token: string): Promise<void> {
    await this.api(token).deleteWebhook({}).catch((err: unknown) => {
      throw asCallError('deleteWebhook', err);
    });
  }

  /** Updates after `offset` without waiting (the worker polls on its own schedule). */
  async updates(token: string, offset: number): Promise<TelegramUpdate[]> {
    return (await this.api(token).getUpdates({ offset, timeout: 0, limit: 100, allowed_updates: ['message'] })) as unknown as TelegramUpdate[];
  }

  private api(token: string): Api {
    return new Api(token, { apiRoot: this.options.apiRoot, maxRetries: 1, timeoutMs: this.options.timeoutMs ?? 15_000 });
  }
}
