import { expect } from 'chai';
import { twilioCanReach, twilioWebhookUrls } from '../../src/modules/provider-credentials/twilio-webhook-urls.js';

describe('Twilio webhook URLs and reachability', () => {
  it('when PUBLIC_URL is public, then Twilio can reach it and the URLs hang off it', () => {
    expect(twilioCanReach('https://sb.example.com')).to.equal(true);
    expect(twilioWebhookUrls('https://sb.example.com/')).to.deep.equal({
      smsUrl: 'https://sb.example.com/webhooks/twilio/sms/inbound', statusCallback: 'https://sb.example.com/webhooks/twilio/voice/status',
    });
  });

  it('when PUBLIC_URL is local or private (make dev, a LAN), then the real Twilio cannot reach it', () => {
    for (const url of ['http://127.0.0.1:4000', 'http://localhost:4000', 'http://10.1.2.3', 'http://192.168.1.20:4000', 'http://172.20.0.5', 'http://box.local', 'http://[::1]:4000']) {
      expect(twilioCanReach(url), url).to.equal(false);
      expect(twilioCanReach(url, 'https://api.twilio.com'), url).to.equal(false);
    }
  });

  it('when "Twilio" is a fake on this machine (TWILIO_API_BASE_URL local), then it reaches a local PUBLIC_URL', () => {
    expect(twilioCanReach('http://127.0.0.1:4000', 'http://127.0.0.1:4010')).to.equal(true);
    // A fake running as a compose service, reached by its service name (no public DNS resolves such a name).
    expect(twilioCanReach('https://switchboard.localhost', 'http://fakes:4010')).to.equal(true);
    expect(twilioCanReach('http://backend:4000')).to.equal(false);
  });
});
