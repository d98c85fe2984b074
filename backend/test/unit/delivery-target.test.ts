import { expect } from 'chai';
import { deliveryTarget } from '../../src/modules/events/deliver-webhooks.js';

describe('event delivery target', () => {
  const shortcuts = [{ publicBase: 'https://n8n.example.com', internalBase: 'http://n8n:5678' }];

  it('when a subscription points at n8n\'s public webhook address, then the worker delivers over the internal network', () => {
    expect(deliveryTarget('https://n8n.example.com/webhook/abc/webhook', shortcuts)).to.equal('http://n8n:5678/webhook/abc/webhook');
  });

  it('when it points anywhere else (a look-alike host included), then the URL is used as it is', () => {
    expect(deliveryTarget('https://hooks.example.org/x', shortcuts)).to.equal('https://hooks.example.org/x');
    expect(deliveryTarget('https://n8n.example.com.evil.test/webhook/abc', shortcuts)).to.equal('https://n8n.example.com.evil.test/webhook/abc');
    expect(deliveryTarget('https://n8n.example.com/webhook/abc', [])).to.equal('https://n8n.example.com/webhook/abc');
  });
});
