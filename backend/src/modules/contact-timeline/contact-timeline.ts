import type { Transaction } from 'sequelize';
import type { ScopedDeps } from '../../db/scoped-deps.js';
import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import { actorId } from '../auth/principal.js';
import { findContact } from '../contacts/contact-repository.js';
import { tenantScopeOf, type TenantScope } from '../contacts/contact-scope.js';
import { insertActivity, insertNote, listActivities, listNotes, type Activity, type Author, type Note } from './timeline-repository.js';

// A contact's timeline: free-text notes and structured activities (follow_up.outcome, booking.requested...)
// written by people and automations. Every call runs in the caller's tenant; another tenant's contact is a 404.

type Page = { limit: number; offset: number };

async function withContact<T>(deps: ScopedDeps, actor: Actor, contactId: string, work: (tx: Transaction, scope: TenantScope) => Promise<T>): Promise<T> {
  const scope = tenantScopeOf(actor);
  return deps.runInScope(scope, async (tx) => {
    if (!(await findContact(tx, { tenantId: scope.tenantId, contactId }))) throw new AppError('NOT_FOUND', 'Contact not found');
    return work(tx, scope);
  });
}

const authorOf = (actor: Actor): Author => ({ type: actor.principal.kind, id: actorId(actor.principal) });

export function addNote(deps: ScopedDeps, input: { actor: Actor; contactId: string; body: string }): Promise<Note> {
  return withContact(deps, input.actor, input.contactId, (tx, scope) =>
    insertNote(tx, { ...scope, contactId: input.contactId, body: input.body, author: authorOf(input.actor) }),
  );
}

export function getNotes(deps: ScopedDeps, input: { actor: Actor; contactId: string } & Page): Promise<Note[]> {
  return withContact(deps, input.actor, input.contactId, (tx, scope) => listNotes(tx, { tenantId: scope.tenantId, ...input }));
}

/** Same idempotency key (per tenant) → the first activity, nothing new. */
export function logActivity(
  deps: ScopedDeps,
  input: { actor: Actor; contactId: string; type: string; data?: Record<string, unknown>; occurredAt?: string; idempotencyKey?: string },
): Promise<{ activity: Activity; created: boolean }> {
  return withContact(deps, input.actor, input.contactId, (tx, scope) =>
    insertActivity(tx, {
      ...scope,
      contactId: input.contactId,
      type: input.type,
      data: input.data ?? {},
      occurredAt: input.occurredAt ?? null,
      author: authorOf(input.actor),
      idempotencyKey: input.idempotencyKey ?? null,
    }),
  );
}

export function getActivities(deps: ScopedDeps, input: { actor: Actor; contactId: string; type?: string } & Page): Promise<Activity[]> {
  return withContact(deps, input.actor, input.contactId, (tx, scope) => listActivities(tx, { tenantId: scope.tenantId, ...input }));
}
