// WHATSAPP_SOCKET_MODULE for the native e2e stack: the fake WhatsApp network inside the worker process,
// with a phone that "scans" the QR by itself after FAKE_WHATSAPP_SCAN_AFTER codes (default 2) as
// FAKE_WHATSAPP_PHONE (default +14155550100). Lets a browser test see the live QR and the linked state.
import type { LinkedDeviceSocketFactory } from '../../../backend/src/ports/whatsapp-linked-device.js';
import { FakeWhatsAppNetwork } from './fake-baileys.js';

export function createLinkedDeviceSocketFactory(): LinkedDeviceSocketFactory {
  const network = new FakeWhatsAppNetwork({ qrIntervalMs: Number(process.env.FAKE_WHATSAPP_QR_MS ?? 1500) });
  const scanAfter = Number(process.env.FAKE_WHATSAPP_SCAN_AFTER ?? 2);
  const phone = process.env.FAKE_WHATSAPP_PHONE ?? '+14155550100';
  const factory = network.factory();
  return async (input) =>
    factory({
      ...input,
      onEvent: (event) => {
        input.onEvent(event);
        if (event.type === 'qr' && (network.qrsShown.get(input.tenantId) ?? 0) >= scanAfter) {
          setTimeout(() => void network.scan(input.tenantId, phone).catch(() => undefined), 50);
        }
      },
    });
}
