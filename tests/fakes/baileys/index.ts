export { FakeWhatsAppNetwork, type FakePresence, type FakeSend } from './fake-baileys.js';
