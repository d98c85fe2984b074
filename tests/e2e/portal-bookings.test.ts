import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Browser as Chromium, Page } from 'playwright-core';
import { e2eStack } from './support/e2e-stack.js';
import { horizontalOverflow, signedInPage } from './support/portal-session.js';
import { arrangeTenant, freshNumber, type E2eTenant } from './support/tenant-world.js';

const ARTIFACTS = join(import.meta.dirname, 'artifacts', 'bookings');
type Booking = { id: string; serviceId: string; contactId: string | null; start: string; status: string };

/** A calendar day `n` days after today in `timeZone`. */
function dayFromToday(n: number, timeZone: string): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  const date = new Date(`${today}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + n);
  return date.toISOString().slice(0, 10);
}

/** Issue 12: the Bookings page (week and day calendar; create, reschedule, cancel) and its editors for services, hours and closures. */
describe('portal bookings (Chromium, native stack)', function () {
  this.timeout(180_000);
  let tenant: E2eTenant;
  let chromium: Chromium;
  let page: Page;
  let contactId = '';
  let serviceId = '';
  let bookingId = '';
  const days = { first: '', second: '', closed: '' };
  const portal = () => e2eStack().urls.portal!;
  const bookingsOf = async (query: string) => (await tenant.admin.get(`/api/v1/bookings?${query}`)).body.bookings as Booking[];

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    tenant = await arrangeTenant();
    const contact = await tenant.admin.post('/api/v1/contacts', { phone: freshNumber(), name: 'Booker Example' });
    expect(contact.status, JSON.stringify(contact.body)).to.equal(201);
    contactId = contact.body.id;
    const { timeZone } = (await tenant.admin.get('/api/v1/booking/hours')).body as { timeZone: string };
    Object.assign(days, { first: dayFromToday(2, timeZone), second: dayFromToday(3, timeZone), closed: dayFromToday(4, timeZone) });
    ({ chromium, page } = await signedInPage(tenant.tenantId, 'tenant_admin'));
  });
  after(async () => {
    await chromium?.close();
  });
  afterEach(async function () {
    // What the page showed when a step failed (the run's logs say why).
    if (this.currentTest?.state === 'failed') await page?.screenshot({ path: join(ARTIFACTS, `failed-${this.currentTest.title.slice(5, 40).replace(/\W+/g, '-')}.png`), fullPage: true });
  });

  it('when an admin adds and edits a service, sets the opening hours and closes a date, then the API holds exactly that', async () => {
    await page.goto(`${portal()}/bookings`, { waitUntil: 'networkidle' });
    await page.getByRole('link', { name: 'Services and hours' }).click();
    await page.waitForURL(/\/bookings\/settings$/);
    const add = page.getByRole('form', { name: 'Add a service' });
    await add.getByLabel('Name').fill('Haircut');
    await add.getByLabel('Duration (minutes)').fill('30');
    await add.getByLabel('Buffer after (minutes)').fill('10');
    await add.getByLabel('Price (optional)').fill('25.50');
    await add.getByLabel('Currency').fill('USD');
    await add.getByRole('button', { name: 'Add service' }).click();
    await page.getByText('Service added.').waitFor({ timeout: 15_000 });
    const [service] = (await tenant.admin.get('/api/v1/booking/services')).body.services;
    expect(service).to.include({ name: 'Haircut', durationMinutes: 30, bufferAfterMinutes: 10, priceCents: 2550, currency: 'usd', active: true });
    serviceId = service.id;

    await page.getByText('Haircut · 30 min').click();
    const edit = page.getByRole('form', { name: 'Edit Haircut' });
    await edit.getByLabel('Duration (minutes)').fill('45');
    await edit.getByRole('button', { name: 'Save Haircut' }).click();
    await page.getByText('Saved. Existing bookings keep their times.').waitFor({ timeout: 15_000 });
    expect((await tenant.admin.get('/api/v1/booking/services')).body.services[0].durationMinutes).to.equal(45);

    for (let weekday = 0; weekday < 7; weekday += 1) {
      await page.fill(`input[name=d${weekday}-start0]`, '09:00');
      await page.fill(`input[name=d${weekday}-end0]`, '17:00');
    }
    await page.getByRole('button', { name: 'Save opening hours' }).click();
    await page.getByText('Opening hours saved.').waitFor({ timeout: 15_000 });
    const hours = (await tenant.admin.get('/api/v1/booking/hours')).body as { weekly: { weekday: number; ranges: unknown[] }[] };
    expect(hours.weekly.map((d) => d.weekday).sort()).to.deep.equal([0, 1, 2, 3, 4, 5, 6]);
    expect(hours.weekly[0]!.ranges).to.deep.equal([{ start: '09:00', end: '17:00' }]);

    await page.getByLabel('Date', { exact: true }).fill(days.closed);
    await page.getByLabel('Closed all day').check();
    await page.getByLabel('Reason (optional)').fill('Staff training');
    await page.getByRole('button', { name: 'Save date' }).click();
    await page.getByText(`Special hours for ${days.closed} saved.`).waitFor({ timeout: 15_000 });
    const closed = (await tenant.admin.get(`/api/v1/booking/hours?from=${days.closed}&to=${days.closed}`)).body.exceptions;
    expect(closed).to.deep.equal([{ date: days.closed, ranges: [], reason: 'Staff training' }]);
    expect(await page.getByRole('region', { name: 'Closures and special hours' }).textContent()).to.contain('closed (Staff training)');
    await page.screenshot({ path: join(ARTIFACTS, 'settings.png'), fullPage: true });
  });

  it('when staff pick a free time that someone else just took, then the page says the slot is taken; the next free time books, shown in the day view', async () => {
    await page.goto(`${portal()}/bookings?view=day&date=${days.first}`, { waitUntil: 'networkidle' });
    await page.getByLabel('Service').selectOption(serviceId);
    await page.locator('#new-day').fill(days.first);
    await page.getByRole('button', { name: 'Find free times' }).click();
    await page.waitForURL(/serviceId=/);
    const firstFree = await page.locator('input[name=start]:checked').inputValue();
    await page.getByLabel('Contact').selectOption(contactId);
    // Someone else books that very time (another tab, the AI agent...) before this click.
    const taken = await tenant.admin.post('/api/v1/bookings', { serviceId, start: firstFree });
    expect(taken.status, JSON.stringify(taken.body)).to.equal(201);
    await page.getByRole('button', { name: 'Book' }).click();
    await page.getByText(/^That time is no longer free/).waitFor({ timeout: 15_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'slot-taken.png'), fullPage: true });

    // The form starts over after the refusal (known gap: it does not keep the chosen day), so the day is chosen again.
    await page.locator('#new-day').fill(days.first);
    await page.getByRole('button', { name: 'Find free times' }).click();
    await page.waitForLoadState('networkidle');
    const nextFree = await page.locator('input[name=start]:checked').inputValue();
    expect(nextFree).to.not.equal(firstFree);
    await page.getByLabel('Contact').selectOption(contactId);
    await page.getByLabel('Notes (optional)').fill('First visit');
    await page.getByRole('button', { name: 'Book' }).click();
    await page.getByText('Booked.').waitFor({ timeout: 15_000 });
    const [booking] = await bookingsOf(`contactId=${contactId}`);
    expect(booking).to.include({ serviceId, start: nextFree, status: 'confirmed' });
    bookingId = booking!.id;
    const day = page.getByRole('region', { name: new RegExp(days.first.slice(8).replace(/^0/, '')) }).first();
    expect(await day.textContent()).to.contain('Haircut').and.contain('Booker Example');
    await page.screenshot({ path: join(ARTIFACTS, 'booked-day.png'), fullPage: true });
  });

  it('when staff move the booking to another day and then cancel it, then the API shows the new time and the cancellation', async () => {
    await page.goto(`${portal()}/bookings?view=day&booking=${bookingId}`, { waitUntil: 'networkidle' });
    await page.locator('#move-day').fill(days.second);
    await page.locator('form:has(#move-day)').getByRole('button', { name: 'Find free times' }).click();
    await page.waitForURL(/moveDate=/);
    const moveForm = page.locator('form[action="?/reschedule"]');
    const third = moveForm.locator('input[name=start]').nth(2);
    const newStart = await third.inputValue();
    await third.check();
    await page.getByRole('button', { name: 'Move booking' }).click();
    await page.getByText('Moved to the new time.').waitFor({ timeout: 15_000 });
    expect((await tenant.admin.get(`/api/v1/bookings/${bookingId}`)).body).to.include({ start: newStart, status: 'confirmed' });

    await page.getByLabel('Reason (optional)').fill('Customer asked');
    await page.getByRole('button', { name: 'Cancel booking' }).click();
    await page.getByText('Booking cancelled: the time is free again.').waitFor({ timeout: 15_000 });
    expect((await tenant.admin.get(`/api/v1/bookings/${bookingId}`)).body.status).to.equal('cancelled');
  });

  it('when the week view is open, then it shows seven days with their hours; the closed date says so; on a 390 px phone nothing scrolls sideways', async () => {
    await page.goto(`${portal()}/bookings?view=week&date=${days.closed}`, { waitUntil: 'networkidle' });
    expect(await page.locator('section.day').count()).to.equal(7);
    expect(await page.getByText('Closed (special hours: Staff training)').count()).to.equal(1);
    await page.screenshot({ path: join(ARTIFACTS, 'week.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    for (const path of [`/bookings?view=day&date=${days.first}&serviceId=${serviceId}`, `/bookings?view=week&date=${days.first}`, `/bookings?view=day&booking=${bookingId}`, '/bookings/settings']) {
      await page.goto(`${portal()}${path}`, { waitUntil: 'networkidle' });
      const { scrollWidth, innerWidth } = await horizontalOverflow(page);
      expect(scrollWidth, `${path} is ${scrollWidth} px wide`).to.be.at.most(innerWidth);
    }
    await page.goto(`${portal()}/bookings?view=day&date=${days.first}&serviceId=${serviceId}`, { waitUntil: 'networkidle' });
    await page.screenshot({ path: join(ARTIFACTS, 'day-390.png'), fullPage: true });
  });
});
