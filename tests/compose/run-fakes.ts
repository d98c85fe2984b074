// The fake providers as one process for the compose layer (service `fakes` in compose.test-override.yml):
// Twilio on FAKE_TWILIO_PORT and the WhatsApp Cloud API on FAKE_WHATSAPP_PORT, on every interface of the
// container so the backend and worker reach them by the service name. Callbacks (message and call status) go to
// FAKE_CALLBACKS_TO, the appliance's public URL, through the proxy as Twilio's would. The test arranges accounts
// and reads what the fakes recorded through their control endpoints (/__fake/...), published on loopback.
import { FakeTwilio } from '../fakes/twilio/index.js';
import { FakeWhatsAppCloud } from '../fakes/whatsapp-cloud/index.js';

const twilio = await new FakeTwilio({ deliverCallbacksTo: process.env.FAKE_CALLBACKS_TO, stepMs: 200 })
  .listen(Number(process.env.FAKE_TWILIO_PORT ?? 4010), '0.0.0.0');
const whatsapp = await new FakeWhatsAppCloud().listen(Number(process.env.FAKE_WHATSAPP_PORT ?? 4020), '0.0.0.0');
console.log(`fakes: Twilio ${twilio.url}, WhatsApp Cloud ${whatsapp.url}, callbacks to ${process.env.FAKE_CALLBACKS_TO ?? '(none)'}`);
const stop = () => void Promise.all([twilio.close(), whatsapp.close()]).then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
