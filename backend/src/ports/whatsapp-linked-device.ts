// Port: a WhatsApp "linked device" session (the tenant's own phone number, paired like WhatsApp Web).
// Adapter: BaileysLinkedDevice (adapters/whatsapp/baileys-linked-device.ts); tests use the fake in
// tests/fakes/baileys. Our code sees only this surface: connection updates, QR and pairing codes,
// messages, receipts, presence, sending, logout.

/** The session's stored auth state, read and written by the adapter as opaque strings (we encrypt them). */
export interface AuthEntryStore {
  read(category: string, ids: readonly string[]): Promise<Record<string, string>>;
  /** `null` deletes the entry. */
  write(entries: readonly { category: string; id: string; value: string | null }[]): Promise<void>;
  clear(): Promise<void>;
}

export type LinkedDeviceCloseReason = 'logged_out' | 'banned' | 'restart_required' | 'connection_lost';

/** `data` null: not downloaded, the file is larger than the socket factory takes in (`sizeBytes` says how large). */
export type InboundMedia = {
  kind: 'image' | 'audio' | 'video' | 'document' | 'sticker'; mimeType: string; fileName: string | null; data: Buffer | null; sizeBytes?: number;
};

export type LinkedDeviceEvent =
  | { type: 'qr'; qr: string }
  | { type: 'open'; phone: string; jid: string }
  | { type: 'close'; reason: LinkedDeviceCloseReason; statusCode?: number; message: string }
  /** A message a contact sent to the number (from = E.164). Media comes downloaded, as metadata plus bytes. */
  | { type: 'message'; id: string; from: string; text: string | null; media: InboundMedia | null; at: Date; pushName: string | null }
  | { type: 'receipt'; id: string; status: 'sent' | 'delivered' | 'read' | 'failed' };

export interface LinkedDeviceSocket {
  /** `messageId`: the WhatsApp message id to use (stable per message, so a resend after a crash is the same message). */
  sendText(toE164: string, text: string, options?: { messageId?: string }): Promise<{ id: string }>;
  sendPresence(toE164: string, state: 'composing' | 'paused'): Promise<void>;
  /** The 8-character code the user types in WhatsApp > Linked devices > Link with phone number. */
  requestPairingCode(phoneE164: string): Promise<string>;
  /** Unlinks the device (the phone shows it gone); a `close` with `logged_out` follows. */
  logout(): Promise<void>;
  /** Closes the connection, keeping the pairing (a restart reconnects without a QR). */
  end(): void;
}

export type LinkedDeviceSocketFactory = (input: {
  tenantId: string;
  auth: AuthEntryStore;
  onEvent: (event: LinkedDeviceEvent) => void;
}) => Promise<LinkedDeviceSocket>;
