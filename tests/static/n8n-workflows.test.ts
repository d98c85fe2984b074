import { readdirSync } from 'node:fs';
import { expect } from 'chai';
import { normaliseWorkflow, sortKeysDeep, workflowFileText } from '../../deploy/n8n/normalise-workflow.js';
import { readRepoFile } from './support/repo.js';

type Workflow = {
  id: string;
  active: boolean;
  nodes: Array<{ name: string; type: string; credentials?: Record<string, { id: string; name: string }> }>;
  connections: Record<string, { main: Array<Array<{ node: string }>> }>;
};

// What `n8n export:workflow --backup` gives for one workflow (n8n 2.40.7), trimmed to two nodes.
const exported = () => ({
  updatedAt: '2030-01-02T10:00:00.000Z',
  createdAt: '2030-01-01T10:00:00.000Z',
  id: 'sbOptOutAlert001',
  name: 'Switchboard: opt-out alert',
  description: null,
  active: true,
  isArchived: false,
  nodes: [
    {
      parameters: { resource: 'note', operation: 'add', contactId: '={{ $json.data.contactId }}' },
      type: 'CUSTOM.switchboardCrm',
      typeVersion: 1,
      position: [260, 0],
      id: 'n2',
      name: 'Add note',
      credentials: { switchboardApi: { id: 'sbSwitchboardApi', name: 'Switchboard API', data: 'leaked?' } },
    },
    {
      webhookId: 'w1',
      parameters: { events: ['contact.opted_out'] },
      name: 'Contact opted out',
      id: 'n1',
      type: 'CUSTOM.switchboardTrigger',
      typeVersion: 1,
      position: [0, 0],
    },
  ],
  connections: { 'Contact opted out': { main: [[{ type: 'main', node: 'Add note', index: 0 }]] } },
  settings: { saveManualExecutions: true, executionOrder: 'v1' },
  staticData: { 'node:Contact opted out': { subscriptionId: 's1', secret: 'subscription secret' } },
  pinData: { 'Add note': [{ json: {} }] },
  meta: { templateCredsSetupCompleted: true },
  versionId: 'v-123',
  activeVersionId: 'v-123',
  versionCounter: 7,
  triggerCount: 1,
  shared: [{ role: 'workflow:owner', projectId: 'p1' }],
  tags: [{ updatedAt: '2030-01-01T10:00:00.000Z', createdAt: '2030-01-01T10:00:00.000Z', id: 't1', name: 'switchboard' }],
  nodeGroups: [],
});

describe('the workflow normaliser (make workflows-export)', () => {
  it('when given an export, then it keeps only what defines the workflow, in a fixed order', () => {
    const result = normaliseWorkflow(exported());

    expect(Object.keys(result)).to.deep.equal(['id', 'name', 'active', 'nodes', 'connections', 'settings', 'tags']);
    expect(JSON.stringify(result)).to.not.match(/updatedAt|createdAt|versionId|pinData|staticData|subscription secret|triggerCount|shared/);
  });

  it('when nodes come in any order, then they are sorted by name with their keys in a stable order', () => {
    const { nodes } = normaliseWorkflow(exported()) as { nodes: Array<Record<string, unknown>> };

    expect(nodes.map((node) => node.name)).to.deep.equal(['Add note', 'Contact opted out']);
    expect(Object.keys(nodes[1]!)).to.deep.equal(['id', 'name', 'type', 'typeVersion', 'position', 'webhookId', 'parameters']);
    expect(Object.keys(nodes[0]!.parameters as object)).to.deep.equal(['contactId', 'operation', 'resource']);
  });

  it('when a node references a credential, then only its id and name are kept', () => {
    const { nodes } = normaliseWorkflow(exported()) as { nodes: Array<Record<string, unknown>> };

    expect(nodes[0]!.credentials).to.deep.equal({ switchboardApi: { id: 'sbSwitchboardApi', name: 'Switchboard API' } });
  });

  it('when tags carry timestamps, then only id and name are kept; an empty description or group list is dropped', () => {
    const result = normaliseWorkflow(exported());

    expect(result.tags).to.deep.equal([{ id: 't1', name: 'switchboard' }]);
    expect(result).to.not.have.property('description');
    expect(normaliseWorkflow({ ...exported(), description: 'Sends the opt-out alert' }).description).to.equal('Sends the opt-out alert');
  });

  it('when applied twice or to a reordered export, then it gives the same text (stable diffs)', () => {
    const once = workflowFileText(exported());
    const reordered = JSON.parse(JSON.stringify(sortKeysDeep(exported()))) as ReturnType<typeof exported>;
    reordered.nodes.reverse();

    expect(workflowFileText(JSON.parse(once))).to.equal(once);
    expect(workflowFileText(reordered)).to.equal(once);
    expect(once.endsWith('}\n')).to.equal(true);
  });
});

describe('the shipped workflows (n8n-workflows/)', () => {
  const packageJson = JSON.parse(readRepoFile('n8n-nodes/package.json')) as { n8n: { nodes: string[] } };
  // dist/nodes/SwitchboardCrm/SwitchboardCrm.node.js -> CUSTOM.switchboardCrm
  const ourTypes = packageJson.n8n.nodes.map((path) => {
    const className = path.split('/').pop()!.replace('.node.js', '');
    return `CUSTOM.${className[0]!.toLowerCase()}${className.slice(1)}`;
  });
  const files = readdirSync(new URL('../../n8n-workflows/', import.meta.url)).filter((file) => file.endsWith('.json'));
  const ids = new Set<string>();

  for (const file of files) {
    const text = readRepoFile('n8n-workflows', file);
    const workflow = JSON.parse(text) as Workflow;

    it(`${file}: is normalised (what make workflows-export writes), with a unique fixed id, active`, () => {
      expect(text).to.equal(workflowFileText(JSON.parse(text)));
      expect(workflow.id).to.match(/^[A-Za-z0-9]{16}$/);
      expect(ids.has(workflow.id), `duplicate id ${workflow.id}`).to.equal(false);
      ids.add(workflow.id);
      expect(workflow.active).to.equal(true);
    });

    it(`${file}: uses only our node types and n8n's, each Switchboard node with the shared credential`, () => {
      for (const node of workflow.nodes) {
        if (node.type.startsWith('CUSTOM.')) {
          expect(ourTypes, `${node.name}: ${node.type}`).to.include(node.type);
          expect(node.credentials).to.deep.equal({ switchboardApi: { id: 'sbSwitchboardApi', name: 'Switchboard API' } });
        } else {
          expect(node.type, node.name).to.match(/^n8n-nodes-base\./);
        }
      }
    });

    it(`${file}: connects only nodes that exist, and explains itself with a sticky note`, () => {
      const names = new Set(workflow.nodes.map((node) => node.name));
      for (const [from, outputs] of Object.entries(workflow.connections)) {
        expect(names.has(from), from).to.equal(true);
        for (const target of outputs.main.flat()) expect(names.has(target.node), target.node).to.equal(true);
      }
      expect(workflow.nodes.some((node) => node.type === 'n8n-nodes-base.stickyNote')).to.equal(true);
    });
  }
});
