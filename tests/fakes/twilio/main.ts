// Runs the fake Twilio API on its own for local demos and benchmarks:
//   FAKE_TWILIO_PORT=4010 FAKE_TWILIO_ACCOUNT_SID=AC... FAKE_TWILIO_AUTH_TOKEN=... FAKE_TWILIO_NUMBERS=+15005550006,... \
//   FAKE_TWILIO_CALLBACKS_TO=http://127.0.0.1:4000 npx tsx tests/fakes/twilio/main.ts
// Then flip switches with e.g. curl -XPOST localhost:4010/__fake/faults -d '{"kind":"rate_limit","count":3}'.
import { FakeTwilio } from './fake-twilio.js';

const fake = await FakeTwilio.start({
  port: Number(process.env.FAKE_TWILIO_PORT ?? 4010),
  deliverCallbacksTo: process.env.FAKE_TWILIO_CALLBACKS_TO,
  stepMs: Number(process.env.FAKE_TWILIO_STEP_MS ?? 500),
});
const numbers = (process.env.FAKE_TWILIO_NUMBERS ?? '').split(',').map((n) => n.trim()).filter(Boolean);
const account = fake.addAccount({ sid: process.env.FAKE_TWILIO_ACCOUNT_SID, authToken: process.env.FAKE_TWILIO_AUTH_TOKEN, numbers });
console.log(`fake Twilio on ${fake.url} (account ${account.sid}, numbers ${numbers.join(', ') || 'none'}); control under ${fake.url}/__fake/`);
process.on('SIGINT', () => void fake.close().then(() => process.exit(0)));
process.on('SIGTERM', () => void fake.close().then(() => process.exit(0)));
