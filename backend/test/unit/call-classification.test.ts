import { expect } from 'chai';
import { classifyFinishedCall, laterCallStatus, type CallStatus } from '../../src/modules/calls/call-status.js';
import { sayTwiml } from '../../src/adapters/voice/twilio.js';

describe('missed-call classification', () => {
  const table: [CallStatus, number | null, 'missed' | 'completed'][] = [
    ['no-answer', 0, 'missed'],
    ['busy', 0, 'missed'],
    ['failed', null, 'missed'],
    ['canceled', 0, 'missed'],
    ['completed', 4, 'missed'], // a hang-up or voicemail greeting
    ['completed', 9, 'missed'],
    ['completed', 10, 'completed'],
    ['completed', 45, 'completed'],
  ];
  for (const [status, duration, expected] of table) {
    it(`when a call ends ${status} after ${duration ?? '?'}s (threshold 10s), then it is ${expected}`, () => {
      expect(classifyFinishedCall(status, duration, 10)).to.equal(expected);
    });
  }

  it('when the tenant raised its threshold, then a 45 s call still counts as missed', () => {
    expect(classifyFinishedCall('completed', 45, 60)).to.equal('missed');
  });

  it('when progress reports arrive out of order, then the status never moves back and a final one sticks', () => {
    expect(laterCallStatus('ringing', 'initiated')).to.equal('ringing');
    expect(laterCallStatus('ringing', 'in-progress')).to.equal('in-progress');
    expect(laterCallStatus('completed', 'ringing')).to.equal('completed');
    expect(laterCallStatus('no-answer', 'completed')).to.equal('no-answer');
  });

  it('when the spoken message holds XML, then the TwiML escapes it', () => {
    expect(sayTwiml(`<Play>x</Play> & "more"`, { language: 'en-US' })).to.equal(
      '<Response><Say language="en-US">&lt;Play&gt;x&lt;/Play&gt; &amp; &quot;more&quot;</Say></Response>',
    );
  });
});
