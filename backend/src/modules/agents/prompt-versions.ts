import type { Transaction } from 'sequelize';
import type { ScopedDeps } from '../../db/scoped-deps.js';
import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import { actorId } from '../auth/principal.js';
import { tenantScopeOf } from '../contacts/contact-scope.js';
import { selectAgent } from './agent-repository.js';
import type { AgentFacts, PromptVersion } from './agent-types.js';
import { diffLines, versionText, type DiffLine } from './diff-versions.js';
import { auditAgentChange } from './manage-agents.js';
import { activateVersion, insertDraft, selectActiveVersion, selectVersion, selectVersions } from './prompt-version-repository.js';

async function agentOrFail(tx: Transaction, input: { tenantId: string; agentId: string }): Promise<void> {
  if (!(await selectAgent(tx, input))) throw new AppError('NOT_FOUND', 'Agent not found');
}

async function versionOrFail(tx: Transaction, input: { tenantId: string; agentId: string; version: number }): Promise<PromptVersion> {
  const found = await selectVersion(tx, input);
  if (!found) throw new AppError('NOT_FOUND', `Version ${input.version} not found`);
  return found;
}

/** Saves a new draft (versions are immutable: editing means a new draft). */
export async function saveDraft(
  deps: ScopedDeps,
  input: { actor: Actor; agentId: string; facts: AgentFacts; instructions: string; note?: string },
): Promise<PromptVersion> {
  const scope = tenantScopeOf(input.actor);
  return deps.runInScope(scope, async (tx) => {
    await agentOrFail(tx, { tenantId: scope.tenantId, agentId: input.agentId });
    const draft = await insertDraft(tx, {
      ...scope, agentId: input.agentId, facts: input.facts, instructions: input.instructions, note: input.note ?? null, createdBy: actorId(input.actor.principal),
    });
    await auditAgentChange(tx, { scope, actor: input.actor, action: 'agent.prompt_drafted', agentId: input.agentId, after: { version: draft.version } });
    return draft;
  });
}

/**
 * Publishes a version: it becomes the active one and the previous active version is archived. Rolling
 * back is publishing an older version again; both are audited with the version left and the one taken.
 */
export async function publishVersion(
  deps: ScopedDeps,
  input: { actor: Actor; agentId: string; version: number; action?: 'agent.prompt_published' | 'agent.prompt_rolled_back' },
): Promise<PromptVersion> {
  const scope = tenantScopeOf(input.actor);
  return deps.runInScope(scope, async (tx) => {
    const where = { tenantId: scope.tenantId, agentId: input.agentId };
    await agentOrFail(tx, where);
    await versionOrFail(tx, { ...where, version: input.version });
    const previous = await selectActiveVersion(tx, where);
    const published = (await activateVersion(tx, { ...where, version: input.version }))!;
    await auditAgentChange(tx, {
      scope, actor: input.actor, action: input.action ?? 'agent.prompt_published', agentId: input.agentId,
      before: { activeVersion: previous?.version ?? null }, after: { activeVersion: published.version },
    });
    return published;
  });
}

/** Back to the version that was active before the current one (or a named one). */
export async function rollBackVersion(deps: ScopedDeps, input: { actor: Actor; agentId: string; version?: number }): Promise<PromptVersion> {
  const scope = tenantScopeOf(input.actor);
  const target = input.version ?? (await deps.runInScope(scope, async (tx) => {
    await agentOrFail(tx, { tenantId: scope.tenantId, agentId: input.agentId });
    const versions = await selectVersions(tx, { tenantId: scope.tenantId, agentId: input.agentId });
    const active = versions.find((v) => v.status === 'active');
    const earlier = versions.filter((v) => v.publishedAt && v.status === 'archived' && (!active || v.version !== active.version))
      .sort((a, b) => b.publishedAt!.getTime() - a.publishedAt!.getTime())[0];
    if (!earlier) throw new AppError('CONFLICT', 'There is no earlier published version to roll back to');
    return earlier.version;
  }));
  return publishVersion(deps, { ...input, version: target, action: 'agent.prompt_rolled_back' });
}

export async function listVersions(deps: ScopedDeps, input: { actor: Actor; agentId: string }): Promise<PromptVersion[]> {
  const scope = tenantScopeOf(input.actor);
  return deps.runInScope(scope, async (tx) => {
    await agentOrFail(tx, { tenantId: scope.tenantId, agentId: input.agentId });
    return selectVersions(tx, { tenantId: scope.tenantId, agentId: input.agentId });
  });
}

export async function diffVersions(
  deps: ScopedDeps,
  input: { actor: Actor; agentId: string; from: number; to: number },
): Promise<{ from: number; to: number; lines: DiffLine[] }> {
  const scope = tenantScopeOf(input.actor);
  return deps.runInScope(scope, async (tx) => {
    const where = { tenantId: scope.tenantId, agentId: input.agentId };
    const [from, to] = [await versionOrFail(tx, { ...where, version: input.from }), await versionOrFail(tx, { ...where, version: input.to })];
    return { from: from.version, to: to.version, lines: diffLines(versionText(from), versionText(to)) };
  });
}
