export { FakeTelegram, type FakeBot, type SentMessage, type Update } from './fake-telegram.js';
