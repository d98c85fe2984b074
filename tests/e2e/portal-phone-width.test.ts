import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { chromium, type Browser as Chromium, type BrowserContext } from 'playwright-core';
import { Sequelize } from 'sequelize';
import { Browser as ApiClient } from '../../backend/test/support/browser.js';
import { createPerson } from '../../backend/test/support/identity-world.js';
import { e2eDatabaseAdminUrl, e2eStack } from './support/e2e-stack.js';
import { eventually } from './support/eventually.js';
import { fillSegments, overflowingElements, portalPages, seriousAxeViolations } from './support/page-checks.js';
import { arrangeTenant, freshNumber } from './support/tenant-world.js';

const ARTIFACTS = join(import.meta.dirname, 'artifacts', 'phone');
const WIDTHS = [360, 390];

/**
 * Every page of the portal (enumerated from the route files) at phone width, for a public visitor, a
 * tenant owner and agency staff: nothing sticks out of a 360 or 390 px screen, and axe-core finds no
 * serious or critical accessibility violation. Seeded data fills the tables so they are really laid out.
 */
describe('portal at phone width, accessible (Chromium, native stack)', function () {
  this.timeout(600_000);
  let chromiumBrowser: Chromium;
  const ids: Record<string, string> = {};
  const people: Record<'tenant owner' | 'agency staff', { email: string; password: string }> = {} as never;

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const tenant = await arrangeTenant();
    const customer = freshNumber();
    await tenant.twilio.post(tenant.twilio.inboundSmsWebhook({ from: customer, to: tenant.twilioNumber, body: 'Hi, do you have time on Friday afternoon for a cleaning?' }));
    await tenant.twilio.post(tenant.twilio.callStatusWebhook({ from: freshNumber(), to: tenant.twilioNumber, status: 'no-answer', direction: 'inbound' }));
    await tenant.admin.post('/api/v1/agents', { name: 'Ava', channels: ['web'] });
    const db = new Sequelize(e2eDatabaseAdminUrl(), { logging: false });
    try {
      const row = await eventually('the inbound conversation', async () => {
        const [[found]] = (await db.query('SELECT id, contact_id AS "contactId" FROM conversations WHERE tenant_id = :tenantId LIMIT 1', { replacements: { tenantId: tenant.tenantId } })) as [{ id: string; contactId: string }[], unknown];
        return found;
      });
      Object.assign(ids, { conversationId: row.id, contactId: row.contactId, tenantId: tenant.tenantId });
      const [[agency]] = (await db.query('SELECT agency_id AS "agencyId" FROM tenants WHERE id = :id', { replacements: { id: tenant.tenantId } })) as [{ agencyId: string }[], unknown];
      people['tenant owner'] = await createPerson(db, [{ agencyId: agency!.agencyId, tenantId: tenant.tenantId, role: 'tenant_owner' }]);
      people['agency staff'] = await createPerson(db, [{ agencyId: agency!.agencyId, tenantId: null, role: 'agency_owner' }]);
    } finally {
      await db.close();
    }
    chromiumBrowser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
  });
  after(async () => {
    await chromiumBrowser?.close();
  });

  async function contextFor(who: 'public visitor' | keyof typeof people): Promise<BrowserContext> {
    // bypassCSP: axe-core is injected as a script tag, which the portal's CSP (rightly) refuses.
    const context = await chromiumBrowser.newContext({ viewport: { width: WIDTHS[0]!, height: 800 }, bypassCSP: true });
    if (who === 'public visitor') return context;
    const { urls } = e2eStack();
    const api = new ApiClient(urls.api);
    const login = await api.signIn(people[who].email, people[who].password);
    expect(login.status, JSON.stringify(login.body)).to.equal(200);
    await context.addCookies(['sb_session', 'sb_csrf'].map((name) => ({ name, value: encodeURIComponent(api.cookies.get(name)!), url: urls.portal!, httpOnly: true })));
    return context;
  }

  it('finds the pages from the route files, including the dynamic ones', () => {
    const pages = portalPages();
    expect(pages).to.include.members(['/', '/sign-in', '/calls', '/agents', '/team', '/contacts/[contactId]', '/conversations/[conversationId]']);
  });

  for (const who of ['public visitor', 'tenant owner', 'agency staff'] as const) {
    it(`when a ${who} opens every page at 360 and 390 px, then nothing is wider than the screen and axe finds nothing serious`, async () => {
      const context = await contextFor(who);
      const page = await context.newPage();
      const problems: string[] = [];
      try {
        for (const template of portalPages()) {
          const path = fillSegments(template, ids);
          for (const width of WIDTHS) {
            await page.setViewportSize({ width, height: 800 });
            await page.goto(`${e2eStack().urls.portal}${path}`, { waitUntil: 'load' });
            // Live pages keep a stream open, so "network idle" may never come: give hydration a moment instead.
            await page.waitForLoadState('networkidle', { timeout: 3_000 }).catch(() => undefined);
            const where = `${who} ${template} at ${width} px (${new URL(page.url()).pathname})`;
            const { scrollWidth, innerWidth } = (await page.evaluate('({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })')) as { scrollWidth: number; innerWidth: number };
            if (scrollWidth > innerWidth) problems.push(`${where}: the page is ${scrollWidth} px wide`);
            for (const element of await overflowingElements(page)) problems.push(`${where}: ${element}`);
            if (width === 390) {
              const name = `${who}${template}`.replace(/[^a-z0-9]+/gi, '-').replace(/-$/, '');
              await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
              for (const violation of await seriousAxeViolations(page)) problems.push(`${where}: ${violation}`);
            }
          }
        }
      } finally {
        await context.close();
      }
      expect(problems, problems.join('\n')).to.deep.equal([]);
    });
  }
});
