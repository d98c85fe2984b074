import type { ScopedDeps } from '../../db/scoped-deps.js';
import { auditHash, GENESIS_HASH } from './audit-hash.js';
import { findChainHeads, findChainPage, type StoredAuditEvent } from './audit-repository.js';

export type BrokenLink = { chainKey: string; seq: number; eventId: string | null; reason: string };
export type AuditVerification = { ok: boolean; checkedEvents: number; chains: number; firstBroken: BrokenLink | null };

const PAGE = 1000;

/**
 * Re-walks every chain of the agency: consecutive seq from 1, each prev_hash equal to the previous
 * hash, each hash equal to a recomputation from the row's content, and the last link equal to the
 * recorded chain head (so a deleted tail shows too). Stops at the first broken row.
 */
export async function verifyAuditChain(deps: ScopedDeps, input: { agencyId: string }): Promise<AuditVerification> {
  return deps.runInScope({ agencyId: input.agencyId }, async (tx) => {
    const heads = await findChainHeads(tx, input.agencyId);
    const seen = new Set<string>();
    let checkedEvents = 0;
    let last: StoredAuditEvent | undefined;
    const result = (firstBroken: BrokenLink | null): AuditVerification => ({
      ok: firstBroken === null,
      checkedEvents,
      chains: seen.size,
      firstBroken,
    });
    const endOfChain = (event: StoredAuditEvent): BrokenLink | null => {
      const head = heads.get(event.chainKey);
      if (head && head.seq === event.seq && head.hash === event.hash) return null;
      return { chainKey: event.chainKey, seq: event.seq + 1, eventId: null, reason: 'the chain ends before its recorded head (rows deleted)' };
    };
    for (let cursor = { chainKey: '', seq: 0 }; ; ) {
      const page = await findChainPage(tx, { agencyId: input.agencyId, afterChainKey: cursor.chainKey, afterSeq: cursor.seq, limit: PAGE });
      for (const event of page) {
        const continues = last?.chainKey === event.chainKey;
        if (!continues && last) {
          const broken = endOfChain(last);
          if (broken) return result(broken);
        }
        seen.add(event.chainKey);
        const broken = checkLink(event, continues ? last! : undefined);
        if (broken) return result(broken);
        checkedEvents += 1;
        last = event;
      }
      if (page.length < PAGE) break;
      cursor = { chainKey: last!.chainKey, seq: last!.seq };
    }
    if (last) {
      const broken = endOfChain(last);
      if (broken) return result(broken);
    }
    for (const [chainKey] of heads) {
      if (!seen.has(chainKey)) return result({ chainKey, seq: 1, eventId: null, reason: 'the chain has a head but no rows (rows deleted)' });
    }
    return result(null);
  });
}

function checkLink(event: StoredAuditEvent, previous: StoredAuditEvent | undefined): BrokenLink | null {
  const broken = (reason: string): BrokenLink => ({ chainKey: event.chainKey, seq: event.seq, eventId: event.id, reason });
  const expectedSeq = previous ? previous.seq + 1 : 1;
  if (event.seq !== expectedSeq) return broken(`expected seq ${expectedSeq} (rows before it were deleted)`);
  if (event.prevHash !== (previous?.hash ?? GENESIS_HASH)) return broken('prev_hash does not match the previous row');
  const { id: _id, prevHash, hash, ...content } = event;
  if (auditHash(prevHash, content) !== hash) return broken('the row content does not match its hash (modified)');
  return null;
}
