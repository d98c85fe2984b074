// Runs the fake Stripe API on its own for local demos:
//   FAKE_STRIPE_PORT=4030 FAKE_STRIPE_PAGES_PORT=4031 FAKE_STRIPE_SECRET_KEY=sk_test_demo npx tsx tests/fakes/stripe/main.ts
// Then STRIPE_API_BASE_URL=http://127.0.0.1:4030 STRIPE_SECRET_KEY=sk_test_demo for the backend.
import { FakeStripe, stripeTestKey } from './fake-stripe.js';

const key = process.env.FAKE_STRIPE_SECRET_KEY ?? stripeTestKey();
const fake = await FakeStripe.start({
  port: Number(process.env.FAKE_STRIPE_PORT ?? 4030), pagesPort: Number(process.env.FAKE_STRIPE_PAGES_PORT ?? 0), secretKeys: [key],
});
console.log(`fake Stripe on ${fake.url} (secret key ${key.slice(0, 12)}…), hosted pages on ${fake.pagesUrl}; control under ${fake.url}/__fake/`);
process.on('SIGINT', () => void fake.close().then(() => process.exit(0)));
process.on('SIGTERM', () => void fake.close().then(() => process.exit(0)));
