import { expect } from 'chai';
import { backupFileName, backupsToPrune, takenAtOf } from '../../../src/modules/backups/backup-retention.js';

const at = (iso: string) => ({ name: backupFileName(new Date(iso)), takenAt: new Date(iso) });

describe('backup retention', () => {
  it('when a backup is named, then the name gives back the moment it was taken, and foreign files are not ours', () => {
    const taken = new Date('2026-12-07T03:00:05Z');
    expect(backupFileName(taken)).to.equal('switchboard-20261207T030005Z.sbbk');
    expect(takenAtOf(backupFileName(taken))?.toISOString()).to.equal(taken.toISOString());
    expect(takenAtOf('status.json')).to.equal(null);
    expect(takenAtOf('.switchboard-20261207T030005Z.sbbk.partial')).to.equal(null);
  });

  it('when there are 20 nightly backups and the policy keeps 7 daily and 2 weekly, then 7 days and the newest of one earlier week are kept', () => {
    // 2026-11-18 (Wed) .. 2026-12-07 (Mon), one a night.
    const nights = Array.from({ length: 20 }, (_, i) => at(new Date(Date.UTC(2026, 10, 18 + i, 3)).toISOString()));
    const pruned = backupsToPrune(nights, { daily: 7, weekly: 2 }).map((e) => e.name);
    const kept = nights.map((e) => e.name).filter((n) => !pruned.includes(n));
    // Daily: Dec 1..7. Weekly: the week of Dec 7 (already kept) and the week of Nov 30 (newest there: Dec 6 is in
    // the week Nov 30..Dec 6, already kept). So exactly the 7 dailies survive.
    expect(kept).to.deep.equal(nights.slice(13).map((e) => e.name));
    const widerWeeks = backupsToPrune(nights, { daily: 2, weekly: 3 }).map((e) => e.name);
    const keptWide = nights.map((e) => e.name).filter((n) => !widerWeeks.includes(n));
    // Daily Dec 6, 7; weekly: Dec 7 (week 50), Dec 6 (week 49), Nov 29 (week 48).
    expect(keptWide).to.deep.equal([at('2026-11-29T03:00:00Z').name, at('2026-12-06T03:00:00Z').name, at('2026-12-07T03:00:00Z').name]);
  });

  it('when several backups were taken on one day, then only the newest of that day counts as its daily backup', () => {
    const entries = [at('2026-12-07T01:00:00Z'), at('2026-12-07T09:00:00Z'), at('2026-12-06T03:00:00Z')];
    const pruned = backupsToPrune(entries, { daily: 2, weekly: 0 }).map((e) => e.name);
    expect(pruned).to.deep.equal([at('2026-12-07T01:00:00Z').name]);
  });
});
