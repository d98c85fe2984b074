import { FakeOpenAI } from '../../../tests/fakes/openai/index.js';
import { FakeStripe, stripeTestKey } from '../../../tests/fakes/stripe/index.js';
import { FakeTelegram } from '../../../tests/fakes/telegram/index.js';
import { FakeTwilio } from '../../../tests/fakes/twilio/index.js';

/**
 * One fake OpenAI and one fake Stripe for the whole integration run (started by the root hook), so every
 * test app (testEnv) has a working LLM and an agency-wide Stripe key. Tests that script replies or faults
 * reset them afterwards.
 */
export type ProviderFakes = { openai: FakeOpenAI; stripe: FakeStripe; telegram: FakeTelegram; twilio: FakeTwilio; llmApiKey: string; stripeSecretKey: string };

let fakes: ProviderFakes | undefined;

export async function startProviderFakes(): Promise<ProviderFakes> {
  const llmApiKey = 'sk-test-switchboard-llm';
  const stripeSecretKey = stripeTestKey();
  fakes = {
    openai: await FakeOpenAI.start({ apiKeys: [llmApiKey] }), stripe: await FakeStripe.start({ secretKeys: [stripeSecretKey] }), telegram: await FakeTelegram.start(),
    // Twilio accounts are verified when connected: every test app checks them against this fake.
    twilio: await FakeTwilio.start({ stepMs: 2 }),
    llmApiKey, stripeSecretKey,
  };
  return fakes;
}

export async function stopProviderFakes(): Promise<void> {
  await Promise.all([fakes?.openai.close(), fakes?.stripe.close(), fakes?.telegram.close(), fakes?.twilio.close()]);
  fakes = undefined;
}

export function providerFakes(): ProviderFakes {
  if (!fakes) throw new Error('the provider fakes are not running (root hook did not run)');
  return fakes;
}

/** Backend settings pointing at the fakes (empty outside integration runs). Retries are fast. */
export function providerFakeEnv(): Record<string, string> {
  if (!fakes) return {};
  return {
    LLM_BASE_URL: fakes.openai.baseUrl,
    LLM_API_KEY: fakes.llmApiKey,
    LLM_MODEL: 'gpt-4o-mini',
    LLM_TIMEOUT_MS: '2000',
    LLM_MAX_RETRY_DELAY_MS: '3000',
    STRIPE_API_BASE_URL: fakes.stripe.url,
    STRIPE_SECRET_KEY: fakes.stripeSecretKey,
    TELEGRAM_API_ROOT: fakes.telegram.url,
    TWILIO_API_BASE_URL: fakes.twilio.url,
  };
}
