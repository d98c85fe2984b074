export { FakeWhatsAppCloud, type CloudNumber, type CloudSend } from './fake-whatsapp-cloud.js';
