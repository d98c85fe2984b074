import { expect } from 'chai';
import { e2eStack } from './support/e2e-stack.js';
import { arrangeTenant, type E2eTenant } from './support/tenant-world.js';

/**
 * The snippet on the Agents page loads the widget from the portal's own address. In native mode nothing sits in
 * front of the portal, so the portal passes /widget.js and the public chat API on to the API; a tenant's site
 * (another origin) can load the script, pass CORS and start a chat through it.
 */
describe('chat widget through the portal address (native stack)', function () {
  this.timeout(120_000);
  let tenant: E2eTenant;
  let webKey: string;

  before(async () => {
    tenant = await arrangeTenant();
    const created = await tenant.admin.post('/api/v1/agents', { name: 'Ava', channels: ['web'] });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    webKey = (created.body as { webKey: string }).webKey;
  });

  it('when the snippet’s script is fetched from the portal, then it is the widget from the API', async () => {
    const { urls } = e2eStack();
    const [viaPortal, direct] = await Promise.all([fetch(`${urls.portal}/widget.js`), fetch(`${urls.api}/widget.js`)]);
    expect(viaPortal.status).to.equal(200);
    expect(viaPortal.headers.get('content-type')).to.match(/javascript/);
    expect(viaPortal.headers.get('cross-origin-resource-policy')).to.equal('cross-origin');
    expect(await viaPortal.text()).to.equal(await direct.text());
  });

  it('when the widget on a tenant’s site starts a chat through the portal, then CORS passes and the API answers as it would directly', async () => {
    const { urls } = e2eStack();
    const site = { origin: 'https://bright-smile.example' };
    const preflight = await fetch(`${urls.portal}/api/v1/web-chat/${webKey}/sessions`, {
      method: 'OPTIONS', headers: { ...site, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).to.equal(204);
    expect(preflight.headers.get('access-control-allow-origin')).to.equal('*');
    const started = await fetch(`${urls.portal}/api/v1/web-chat/${webKey}/sessions`, {
      method: 'POST', headers: { ...site, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Visitor' }),
    });
    const body = (await started.json()) as { sessionToken?: string; agentName?: string };
    expect(started.status, JSON.stringify(body)).to.equal(201);
    expect(started.headers.get('access-control-allow-origin')).to.equal('*');
    expect(body.agentName).to.equal('Ava');
    const history = await fetch(`${urls.portal}/api/v1/web-chat/history`, {
      method: 'POST', headers: { ...site, 'content-type': 'application/json' }, body: JSON.stringify({ sessionToken: body.sessionToken }),
    });
    expect(history.status).to.equal(200);
  });
});
