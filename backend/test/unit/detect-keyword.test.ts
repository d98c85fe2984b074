import { expect } from 'chai';
import { detectKeyword } from '../../src/modules/consent/detect-keyword.js';

describe('detectKeyword', () => {
  const cases: [string, string | undefined][] = [
    [' Stop. ', 'opt_out'], ['STOP', 'opt_out'], ['stop', 'opt_out'], ['Stop!!!', 'opt_out'], ['\tSTOP\n', 'opt_out'],
    ['stop all', 'opt_out_all'], ['STOPALL', 'opt_out_all'], ['Stop-All', 'opt_out_all'],
    ['Unsubscribe!', 'opt_out'], ['cancel', 'opt_out'], ['End', 'opt_out'], ['QUIT', 'opt_out'], ['revoke', 'opt_out'],
    ['optout', 'opt_out'], ['Opt-Out', 'opt_out'], ['opt out', 'opt_out'],
    ['BAJA', 'opt_out'], ['baja.', 'opt_out'], ['Alto', 'opt_out'], ['parar', 'opt_out'], ['Cancelar', 'opt_out'],
    ['Pare', 'opt_out'], ['SAIR', 'opt_out'],
    ['Arrêt', 'opt_out'], ['ARRET', 'opt_out'], ['arrêt !', 'opt_out'],
    ['Stopp', 'opt_out'], ['abmelden', 'opt_out'], ['ABBESTELLEN', 'opt_out'],
    ['START', 'opt_in'], ['unstop', 'opt_in'], ['Yes', 'opt_in'], ['yes!', 'opt_in'], ['Sí', 'opt_in'],
    ['HELP', 'help'], ['help?', 'help'], ['Info', 'help'], ['ayuda', 'help'],
    // Not keywords: a sentence that contains one, or an ordinary message
    ["please don't stop sending", undefined], ['Stop by the shop tomorrow?', undefined], ['I want to cancel my appointment', undefined],
    ['yes please book me in for 3pm', undefined], ['help me choose a time', undefined], ['stopped', undefined], ['', undefined],
    ['🛑', undefined], ['STOP'.repeat(20), undefined],
  ];
  for (const [text, intent] of cases) {
    it(`when the message is ${JSON.stringify(text)}, then ${intent ?? 'no keyword'}`, () => {
      expect(detectKeyword(text)?.intent).to.equal(intent);
    });
  }

  it('when a keyword is found, then its canonical spelling is kept (for the consent ledger)', () => {
    expect(detectKeyword(' stop all ')).to.deep.equal({ intent: 'opt_out_all', keyword: 'STOP ALL' });
    expect(detectKeyword('Arrêt')).to.deep.equal({ intent: 'opt_out', keyword: 'ARRET' });
  });
});
