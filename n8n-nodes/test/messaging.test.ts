import { expect } from 'chai';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { SwitchboardMessaging } from '../nodes/SwitchboardMessaging/SwitchboardMessaging.node.ts';
import { errorResponse, expectError, fakeExecution, jsonResponse } from './support/execute-functions';

const tenantId = '2f6c1a4e-8b0d-4c6a-9e35-7d1f0b2a9c11';
const sendText = {
	resource: 'message',
	operation: 'send',
	tenantId,
	channel: 'whatsapp',
	recipient: 'contact',
	contactId: 'c-1',
	content: 'text',
	text: 'Sorry we missed your call',
	options: {},
};
const message = (status: string, policy: unknown) => ({ id: 'm-1', status, channel: 'whatsapp', policy });
const allow = { decision: 'allow', reason: { code: 'ALLOWED', message: 'ok' }, until: null };

const run = (execution: ReturnType<typeof fakeExecution>) =>
	new SwitchboardMessaging().execute.call(execution.context);

describe('Switchboard Messaging node, Message > Send', () => {
	it('when sending a text to a contact, then it POSTs channel, contactId and body for the tenant', async () => {
		const execution = fakeExecution({ parameters: sendText, respond: () => jsonResponse(201, message('queued', allow)) });

		const [output] = await run(execution);

		const { options } = execution.requests[0];
		expect(options).to.deep.include({ method: 'POST', url: 'http://backend.test:4000/api/v1/messages' });
		expect(options.body).to.deep.equal({ channel: 'whatsapp', contactId: 'c-1', body: 'Sorry we missed your call' });
		expect(options.headers).to.include({ 'X-Switchboard-Tenant': tenantId });
		expect(output[0].json).to.include({ id: 'm-1', outcome: 'sent', reasonCode: 'ALLOWED' });
		expect(output[0].pairedItem).to.deep.equal({ item: 0 });
	});

	it('when no idempotency key is given, then it derives one from execution, node and item that is the same on a retry', async () => {
		const keysOf = async (executionId: string, nodeName: string) => {
			const execution = fakeExecution({
				parameters: sendText,
				items: [{ json: {} }, { json: {} }],
				executionId,
				node: { name: nodeName },
				respond: () => jsonResponse(201, message('queued', allow)),
			});
			await run(execution);
			return execution.requests.map((r) => (r.options.headers as Record<string, string>)['Idempotency-Key']);
		};

		const first = await keysOf('1042', 'Send WhatsApp');
		const retry = await keysOf('1042', 'Send WhatsApp');

		expect(first).to.deep.equal(retry);
		expect(first[0]).to.match(/^n8n-1042-[0-9a-f]{16}-0$/);
		expect(first[1]).to.match(/-1$/);
		expect(first[0]).to.not.equal(first[1]);
		expect((await keysOf('1043', 'Send WhatsApp'))[0]).to.not.equal(first[0]);
		expect((await keysOf('1042', 'Send SMS'))[0]).to.not.equal(first[0]);
		expect(first[0]).to.match(/^[\x21-\x7e]{1,200}$/);
	});

	it('when an idempotency key is given, then it is sent as the Idempotency-Key header', async () => {
		const execution = fakeExecution({
			parameters: { ...sendText, options: { idempotencyKey: ' missed-call:call-7 ' } },
			respond: () => jsonResponse(200, message('queued', allow)),
		});

		const [output] = await run(execution);

		expect(execution.requests[0].options.headers).to.include({ 'Idempotency-Key': 'missed-call:call-7' });
		expect(output[0].json.idempotencyKey).to.equal('missed-call:call-7');
	});

	it('when the policy denies the message, then the item says denied with the reason instead of failing', async () => {
		const deny = { decision: 'deny', reason: { code: 'OPTED_OUT', message: 'The contact opted out' }, until: null };
		const execution = fakeExecution({ parameters: sendText, respond: () => jsonResponse(201, message('denied', deny)) });

		const [output] = await run(execution);

		expect(output[0].json).to.include({ outcome: 'denied', reasonCode: 'OPTED_OUT', reason: 'The contact opted out' });
	});

	it('when the policy defers the message, then the item says deferred and until when', async () => {
		const until = '2030-01-01T08:00:00.000Z';
		const defer = { decision: 'defer', reason: { code: 'OUTSIDE_SENDING_WINDOW', message: 'quiet hours' }, until };
		const execution = fakeExecution({ parameters: sendText, respond: () => jsonResponse(201, message('deferred', defer)) });

		const [output] = await run(execution);

		expect(output[0].json).to.include({ outcome: 'deferred', deferredUntil: until });
	});

	it('when sending a template to a phone number, then it sends name, language and the named variables', async () => {
		const execution = fakeExecution({
			parameters: {
				...sendText,
				recipient: 'phone',
				to: '+14155550123',
				content: 'template',
				templateName: 'missed_call',
				templateLanguage: 'en',
				templateVariables: { variable: [{ name: 'first_name', value: 'Ada' }, { name: ' ', value: 'x' }] },
			},
			respond: () => jsonResponse(201, message('queued', allow)),
		});

		await run(execution);

		expect(execution.requests[0].options.body).to.deep.equal({
			channel: 'whatsapp',
			to: '+14155550123',
			template: { name: 'missed_call', language: 'en', variables: { first_name: 'Ada' } },
		});
	});

	it('when the text is empty, then the item fails with a NodeOperationError before any request', async () => {
		const execution = fakeExecution({ parameters: { ...sendText, text: '  ' }, respond: () => jsonResponse(201, {}) });

		const error = await expectError(() => run(execution));

		expect(error).to.be.instanceOf(NodeOperationError);
		expect(error.message).to.equal('Text is empty');
		expect(execution.requests).to.have.length(0);
	});

	it('when the backend refuses (403) and the node continues on fail, then the item carries the error and code', async () => {
		const execution = fakeExecution({
			parameters: sendText,
			continueOnFail: true,
			respond: () => errorResponse(403, 'FORBIDDEN', 'This token may not act as a tenant'),
		});

		const [output] = await run(execution);

		expect(output[0].json).to.include({ httpCode: '403', code: 'FORBIDDEN' });
		expect(output[0].json.error).to.contain('FORBIDDEN: This token may not act as a tenant');
		expect(output[0].pairedItem).to.deep.equal({ item: 0 });
	});

	it('when the backend refuses and the node does not continue on fail, then it throws a NodeApiError for the item', async () => {
		const execution = fakeExecution({
			parameters: sendText,
			items: [{ json: {} }, { json: {} }],
			respond: (_options, call) =>
				call === 0 ? jsonResponse(201, message('queued', allow)) : errorResponse(400, 'VALIDATION_FAILED', 'bad'),
		});

		const error = await expectError(() => run(execution));

		expect(error).to.be.instanceOf(NodeApiError);
		expect((error as NodeApiError).context.itemIndex).to.equal(1);
		expect((error as NodeApiError).httpCode).to.equal('400');
	});
});

describe('Switchboard Messaging node, Message > Get Status and Conversation > Get Many', () => {
	it('when a message failed, then Get Status returns it with final: true', async () => {
		const execution = fakeExecution({
			parameters: { resource: 'message', operation: 'get', tenantId, messageId: 'm-1' },
			respond: () => jsonResponse(200, message('undelivered', allow)),
		});

		const [output] = await run(execution);

		expect(execution.requests[0].options).to.deep.include({ method: 'GET', url: 'http://backend.test:4000/api/v1/messages/m-1' });
		expect(output[0].json).to.include({ status: 'undelivered', final: true });
	});

	it('when a contact has conversations, then Get Many returns them in one item with the latest inbound time', async () => {
		const execution = fakeExecution({
			parameters: { resource: 'conversation', operation: 'getMany', tenantId, contactId: 'c-1' },
			respond: () =>
				jsonResponse(200, {
					conversations: [
						{ id: 'v1', lastInboundAt: '2030-01-01T10:00:00.000Z', lastMessageAt: '2030-01-02T10:00:00.000Z' },
						{ id: 'v2', lastInboundAt: null, lastMessageAt: '2030-01-01T09:00:00.000Z' },
					],
				}),
		});

		const [output] = await run(execution);

		expect(execution.requests[0].options.qs).to.deep.equal({ contactId: 'c-1', limit: 50 });
		expect(output).to.have.length(1);
		expect(output[0].json).to.include({ lastInboundAt: '2030-01-01T10:00:00.000Z', lastMessageAt: '2030-01-02T10:00:00.000Z' });
	});
});
