import { expect } from 'chai';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { SwitchboardCrm } from '../nodes/SwitchboardCrm/SwitchboardCrm.node.ts';
import { errorResponse, expectError, fakeExecution, jsonResponse } from './support/execute-functions';

const tenantId = '2f6c1a4e-8b0d-4c6a-9e35-7d1f0b2a9c11';
const contact = { id: 'c-1', phone: '+14155550123', leadStage: 'new' };
const run = (execution: ReturnType<typeof fakeExecution>) => new SwitchboardCrm().execute.call(execution.context);

describe('Switchboard CRM node', () => {
	it('when finding by phone, then it GETs by-phone with the number as typed and says found: true', async () => {
		const execution = fakeExecution({
			parameters: { resource: 'contact', operation: 'findByPhone', tenantId, phone: ' (415) 555-0123 ' },
			respond: () => jsonResponse(200, contact),
		});

		const [output] = await run(execution);

		expect(execution.requests[0].options).to.deep.include({
			method: 'GET',
			url: 'http://backend.test:4000/api/v1/contacts/by-phone',
			qs: { phone: '(415) 555-0123' },
		});
		expect(output[0].json).to.include({ found: true, id: 'c-1' });
	});

	it('when no contact has the number, then Find by Phone outputs found: false instead of failing', async () => {
		const execution = fakeExecution({
			parameters: { resource: 'contact', operation: 'findByPhone', tenantId, phone: '+14155550123' },
			respond: () => errorResponse(404, 'NOT_FOUND', 'Contact not found'),
		});

		const [output] = await run(execution);

		expect(output[0].json).to.deep.equal({ found: false, phone: '+14155550123' });
	});

	it('when the number is unreadable, then Find by Phone fails with the backend reason', async () => {
		const execution = fakeExecution({
			parameters: { resource: 'contact', operation: 'findByPhone', tenantId, phone: 'abc' },
			respond: () => errorResponse(400, 'VALIDATION_FAILED', 'The request is not valid', [{ path: 'query.phone', code: 'invalid_phone' }]),
		});

		const error = await expectError(() => run(execution));

		expect(error).to.be.instanceOf(NodeApiError);
		expect(error.message).to.contain('VALIDATION_FAILED');
		expect((error as NodeApiError).description).to.contain('invalid_phone');
	});

	it('when creating or updating, then only the filled-in fields are sent and created tells which it was', async () => {
		const execution = fakeExecution({
			parameters: { resource: 'contact', operation: 'upsert', tenantId, phone: '+14155550123', additionalFields: { name: ' Ada ', email: '' } },
			respond: (_o, call) => jsonResponse(call === 0 ? 201 : 200, contact),
			items: [{ json: {} }, { json: {} }],
		});

		const [output] = await run(execution);

		expect(execution.requests[0].options.body).to.deep.equal({ phone: '+14155550123', name: 'Ada' });
		expect(output.map((item) => item.json.created)).to.deep.equal([true, false]);
	});

	it('when setting the lead stage, then it PATCHes only leadStage', async () => {
		const execution = fakeExecution({
			parameters: { resource: 'contact', operation: 'setLeadStage', tenantId, contactId: 'c-1', leadStage: 'booked' },
			respond: () => jsonResponse(200, { ...contact, leadStage: 'booked' }),
		});

		await run(execution);

		expect(execution.requests[0].options).to.deep.include({
			method: 'PATCH',
			url: 'http://backend.test:4000/api/v1/contacts/c-1',
			body: { leadStage: 'booked' },
		});
	});

	it('when the lead stage is not lowercase words, then it fails before calling the backend', async () => {
		const execution = fakeExecution({
			parameters: { resource: 'contact', operation: 'setLeadStage', tenantId, contactId: 'c-1', leadStage: 'Booked Now' },
			respond: () => jsonResponse(200, contact),
		});

		const error = await expectError(() => run(execution));

		expect(error).to.be.instanceOf(NodeOperationError);
		expect(execution.requests).to.have.length(0);
	});

	it('when getting a booking, then it GETs it for the tenant; an empty booking ID fails before any request', async () => {
		const execution = fakeExecution({
			parameters: { resource: 'booking', operation: 'get', tenantId, bookingId: 'b-1' },
			respond: () => jsonResponse(200, { id: 'b-1', status: 'confirmed' }),
		});
		const [[item]] = await run(execution);
		expect(item!.json).to.deep.include({ id: 'b-1', status: 'confirmed' });
		expect(execution.requests[0].options).to.deep.include({ url: 'http://backend.test:4000/api/v1/bookings/b-1', method: 'GET' });
		expect(execution.requests[0].options.headers).to.include({ 'X-Switchboard-Tenant': tenantId });

		const empty = fakeExecution({ parameters: { resource: 'booking', operation: 'get', tenantId, bookingId: '' }, respond: () => jsonResponse(200, {}) });
		expect(await expectError(() => run(empty))).to.be.instanceOf(NodeOperationError);
		expect(empty.requests).to.have.length(0);
	});

	it("when getting a message template, then it GETs the tenant's wording of that automation message", async () => {
		const execution = fakeExecution({
			parameters: { resource: 'template', operation: 'get', tenantId, templateKey: 'missed_call' },
			respond: () => jsonResponse(200, { key: 'missed_call', text: 'Sorry we missed you!', whatsappTemplate: 'missed_call_follow_up' }),
		});
		const [[item]] = await run(execution);
		expect(item!.json).to.deep.include({ text: 'Sorry we missed you!', whatsappTemplate: 'missed_call_follow_up' });
		expect(execution.requests[0].options).to.deep.include({ url: 'http://backend.test:4000/api/v1/automation-templates/missed_call', method: 'GET' });
		expect(execution.requests[0].options.headers).to.include({ 'X-Switchboard-Tenant': tenantId });
	});

	it('when adding a note, then it POSTs its body to the contact', async () => {
		const execution = fakeExecution({
			parameters: { resource: 'note', operation: 'add', tenantId, contactId: 'c-1', body: 'Opted out of sms' },
			respond: () => jsonResponse(201, { id: 'n-1' }),
		});

		await run(execution);

		expect(execution.requests[0].options).to.deep.include({
			url: 'http://backend.test:4000/api/v1/contacts/c-1/notes',
			body: { body: 'Opted out of sms' },
		});
		expect(execution.requests[0].options.headers).to.include({ 'X-Switchboard-Tenant': tenantId });
	});

	it('when adding an activity with JSON data and a key, then type, data and idempotencyKey are sent', async () => {
		const execution = fakeExecution({
			parameters: {
				resource: 'activity',
				operation: 'add',
				tenantId,
				contactId: 'c-1',
				type: 'follow_up.outcome',
				data: '{"channel":"sms","outcome":"sent"}',
				options: { idempotencyKey: 'follow-up:call-7' },
			},
			respond: () => jsonResponse(201, { id: 'a-1' }),
		});

		await run(execution);

		expect(execution.requests[0].options.body).to.deep.equal({
			type: 'follow_up.outcome',
			data: { channel: 'sms', outcome: 'sent' },
			idempotencyKey: 'follow-up:call-7',
		});
	});

	it('when the activity data is not a JSON object, then the item fails (or carries the error on continue)', async () => {
		const parameters = { resource: 'activity', operation: 'add', tenantId, contactId: 'c-1', type: 'x.y', data: '[1,2]' };
		const failing = fakeExecution({ parameters, respond: () => jsonResponse(201, {}) });
		const continuing = fakeExecution({ parameters, continueOnFail: true, respond: () => jsonResponse(201, {}) });

		const error = await expectError(() => run(failing));
		const [output] = await run(continuing);

		expect(error).to.be.instanceOf(NodeOperationError);
		expect(output[0].json.error).to.match(/JSON object/);
		expect(continuing.requests).to.have.length(0);
	});

	it('when the activity type is not dotted lowercase words, then it fails before calling the backend', async () => {
		const execution = fakeExecution({
			parameters: { resource: 'activity', operation: 'add', tenantId, contactId: 'c-1', type: 'Follow Up', data: '{}' },
			respond: () => jsonResponse(201, {}),
		});

		expect((await expectError(() => run(execution))).message).to.contain('is not an activity type');
	});

	it('when listing activities, then they come back in one item with a count', async () => {
		const execution = fakeExecution({
			parameters: { resource: 'activity', operation: 'getMany', tenantId, contactId: 'c-1', type: '', limit: 20 },
			respond: () => jsonResponse(200, { activities: [{ id: 'a-1', type: 'booking.created' }] }),
		});

		const [output] = await run(execution);

		expect(execution.requests[0].options.qs).to.deep.equal({ limit: 20 });
		expect(output).to.have.length(1);
		expect(output[0].json).to.include({ contactId: 'c-1', count: 1 });
	});

	it('when the contact ID is empty, then Get fails naming the field', async () => {
		const execution = fakeExecution({
			parameters: { resource: 'contact', operation: 'get', tenantId, contactId: '' },
			respond: () => jsonResponse(200, contact),
		});

		expect((await expectError(() => run(execution))).message).to.equal('Contact ID is empty');
	});
});
