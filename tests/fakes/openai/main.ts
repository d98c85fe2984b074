// Runs the fake OpenAI API on its own for local demos:
//   FAKE_OPENAI_PORT=4020 FAKE_OPENAI_API_KEY=sk-demo npx tsx tests/fakes/openai/main.ts
// Then LLM_BASE_URL=http://127.0.0.1:4020/v1 LLM_API_KEY=sk-demo for the backend. Script replies with
// curl -XPOST localhost:4020/__fake/script -d '{"responses":[{"reply":"Hi!"},{"error":{"status":429},"retryAfterSeconds":1}]}'.
import { FakeOpenAI } from './fake-openai.js';

const key = process.env.FAKE_OPENAI_API_KEY;
const fake = await FakeOpenAI.start({ port: Number(process.env.FAKE_OPENAI_PORT ?? 4020), apiKeys: key ? [key] : [] });
console.log(`fake OpenAI on ${fake.baseUrl}; control under ${fake.url}/__fake/`);
process.on('SIGINT', () => void fake.close().then(() => process.exit(0)));
process.on('SIGTERM', () => void fake.close().then(() => process.exit(0)));
