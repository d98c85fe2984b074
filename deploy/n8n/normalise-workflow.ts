// Turns a workflow as n8n exports it (`n8n export:workflow --backup`) into the form we keep in
// n8n-workflows/: only what defines the workflow, in a stable order, so that an export after an
// edit in the editor gives a small, readable diff.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Top-level fields kept, in this order; everything else (versionId, updatedAt, createdAt, pinData,
 * staticData with the trigger's subscription secret, shared, meta, activeVersionId, ...) is dropped. */
const WORKFLOW_FIELDS = ['id', 'name', 'description', 'active', 'nodes', 'connections', 'nodeGroups', 'settings', 'tags'] as const;

/** Kept only when the operator filled them in (n8n 2.x exports them empty otherwise). */
const KEPT_WHEN_SET = new Set<string>(['description', 'nodeGroups']);

function isEmpty(value: Json | undefined): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

/** Node fields first in this order; any other node field follows alphabetically. */
const NODE_FIELD_ORDER = ['id', 'name', 'type', 'typeVersion', 'position', 'webhookId', 'disabled', 'parameters', 'credentials'];

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Objects get their keys sorted (recursively); arrays keep their order. */
export function sortKeysDeep(value: unknown): Json {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (!isObject(value as Json)) return value as Json;
  const object = value as JsonObject;
  const sorted: JsonObject = {};
  for (const key of Object.keys(object).sort()) {
    if (object[key] !== undefined) sorted[key] = sortKeysDeep(object[key]);
  }
  return sorted;
}

/** `{ switchboardApi: { id, name, ...anything } }` → `{ switchboardApi: { id, name } }`. */
function credentialReferences(credentials: Json): Json {
  if (!isObject(credentials)) return credentials;
  const references: JsonObject = {};
  for (const type of Object.keys(credentials).sort()) {
    const reference = credentials[type];
    references[type] = isObject(reference) ? { id: reference.id ?? null, name: reference.name ?? null } : reference!;
  }
  return references;
}

function normaliseNode(node: JsonObject): JsonObject {
  const rest = Object.keys(node)
    .filter((key) => !NODE_FIELD_ORDER.includes(key))
    .sort();
  const result: JsonObject = {};
  for (const key of [...NODE_FIELD_ORDER, ...rest]) {
    if (!(key in node) || node[key] === undefined) continue;
    result[key] = key === 'credentials' ? credentialReferences(node[key]!) : sortKeysDeep(node[key]!);
  }
  return result;
}

/** Tags by id and name only (n8n exports their timestamps too). */
function normaliseTags(tags: Json | undefined): Json {
  if (!Array.isArray(tags)) return [];
  return tags
    .filter(isObject)
    .map((tag) => ({ id: tag.id ?? null, name: tag.name ?? null }))
    .sort((a, b) => String(a.name).localeCompare(String(b.name)));
}

/** `exported`: one workflow object as n8n's export (or our file) has it. */
export function normaliseWorkflow(workflow: object): JsonObject {
  const exported = workflow as JsonObject;
  const result: JsonObject = {};
  for (const field of WORKFLOW_FIELDS) {
    const value = exported[field];
    if (KEPT_WHEN_SET.has(field) && isEmpty(value)) continue;
    if (field === 'nodes') {
      const nodes = Array.isArray(value) ? value.filter(isObject) : [];
      result.nodes = nodes
        .map(normaliseNode)
        .sort((a, b) => String(a.name).localeCompare(String(b.name), 'en'));
    } else if (field === 'tags') {
      result.tags = normaliseTags(value);
    } else if (field === 'active') {
      result.active = value === true;
    } else if (value !== undefined) {
      result[field] = sortKeysDeep(value);
    }
  }
  return result;
}

/** The file text: two-space JSON with a final newline, like every file in n8n-workflows/. */
export function workflowFileText(workflow: object): string {
  return `${JSON.stringify(normaliseWorkflow(workflow), null, 2)}\n`;
}
