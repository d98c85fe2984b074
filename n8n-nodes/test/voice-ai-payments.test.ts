import { expect } from 'chai';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { SwitchboardAi } from '../nodes/SwitchboardAi/SwitchboardAi.node.ts';
import { SwitchboardPayments } from '../nodes/SwitchboardPayments/SwitchboardPayments.node.ts';
import { toMinorUnits } from '../nodes/SwitchboardPayments/resources/paymentLink/create';
import { SwitchboardVoice } from '../nodes/SwitchboardVoice/SwitchboardVoice.node.ts';
import { errorResponse, expectError, fakeExecution, jsonResponse } from './support/execute-functions';

const tenantId = '2f6c1a4e-8b0d-4c6a-9e35-7d1f0b2a9c11';

describe('Switchboard Voice node', () => {
	const run = (execution: ReturnType<typeof fakeExecution>) => new SwitchboardVoice().execute.call(execution.context);

	it('when placing a call, then it POSTs to, message and only the options given', async () => {
		const execution = fakeExecution({
			parameters: { resource: 'call', operation: 'place', tenantId, to: '+14155550123', message: 'Your table is ready', options: { language: 'en-US', from: ' ' } },
			respond: () => jsonResponse(201, { id: 'call-1', status: 'queued' }),
		});

		const [output] = await run(execution);

		expect(execution.requests[0].options).to.deep.include({
			method: 'POST',
			url: 'http://backend.test:4000/api/v1/calls',
			body: { to: '+14155550123', message: 'Your table is ready', language: 'en-US' },
		});
		expect(output[0].json.id).to.equal('call-1');
	});

	it('when no voice provider is connected, then it fails with the 503 of the backend', async () => {
		const execution = fakeExecution({
			parameters: { resource: 'call', operation: 'place', tenantId, to: '+14155550123', message: 'Hi', options: {} },
			respond: () => errorResponse(503, 'DEPENDENCY_UNAVAILABLE', 'Connect a Twilio account first'),
		});

		const error = await expectError(() => run(execution));

		expect((error as NodeApiError).httpCode).to.equal('503');
	});

	it('when getting a call, then it GETs it by id', async () => {
		const execution = fakeExecution({
			parameters: { resource: 'call', operation: 'get', tenantId, callId: 'call-1' },
			respond: () => jsonResponse(200, { id: 'call-1', outcome: 'missed' }),
		});

		const [output] = await run(execution);

		expect(execution.requests[0].options.url).to.equal('http://backend.test:4000/api/v1/calls/call-1');
		expect(output[0].json.outcome).to.equal('missed');
	});
});

describe('Switchboard AI node', () => {
	const run = (execution: ReturnType<typeof fakeExecution>) => new SwitchboardAi().execute.call(execution.context);

	it('when classifying, then it sends task classify with the cleaned labels and the execution as reference', async () => {
		const execution = fakeExecution({
			parameters: { resource: 'text', operation: 'classify', tenantId, text: 'Call me tomorrow', labels: 'interested, callback , callback', options: {} },
			respond: () => jsonResponse(200, { task: 'classify', text: 'callback', label: 'callback' }),
		});

		const [output] = await run(execution);

		expect(execution.requests[0].options).to.deep.include({ method: 'POST', url: 'http://backend.test:4000/api/v1/ai/generate' });
		expect(execution.requests[0].options.body).to.deep.equal({
			task: 'classify',
			text: 'Call me tomorrow',
			labels: ['interested', 'callback'],
			reference: 'n8n:1042:classify',
		});
		expect(output[0].json.label).to.equal('callback');
	});

	it('when drafting a reply, then it sends task reply_draft with context and instructions, and no labels', async () => {
		const execution = fakeExecution({
			parameters: { resource: 'text', operation: 'draftReply', tenantId, text: 'Do you open Sunday?', options: { context: 'Open Mon-Sat', instructions: 'Be brief', maxOutputTokens: 200 } },
			respond: () => jsonResponse(200, { task: 'reply_draft', text: 'We are closed on Sundays.' }),
		});

		await run(execution);

		expect(execution.requests[0].options.body).to.deep.include({ task: 'reply_draft', context: 'Open Mon-Sat', instructions: 'Be brief', maxOutputTokens: 200 });
		expect(execution.requests[0].options.body).to.not.have.property('labels');
	});

	it('when a label is not lowercase words, then classify fails before calling the backend', async () => {
		const execution = fakeExecution({
			parameters: { resource: 'text', operation: 'classify', tenantId, text: 'x', labels: 'Interested, no', options: {} },
			respond: () => jsonResponse(200, {}),
		});

		const error = await expectError(() => run(execution));

		expect(error).to.be.instanceOf(NodeOperationError);
		expect((error as NodeOperationError).description).to.contain('Interested');
		expect(execution.requests).to.have.length(0);
	});

	it('when the backend has no LLM configured, then the error names the reason', async () => {
		const execution = fakeExecution({
			parameters: { resource: 'text', operation: 'summarize', tenantId, text: 'long call transcript', options: {} },
			respond: () => errorResponse(503, 'DEPENDENCY_UNAVAILABLE', 'No LLM configured', { reason: 'llm_not_configured' }),
		});

		const error = await expectError(() => run(execution));

		expect((error as NodeApiError).description).to.contain('llm_not_configured');
	});
});

describe('Switchboard Payments node', () => {
	const run = (execution: ReturnType<typeof fakeExecution>) => new SwitchboardPayments().execute.call(execution.context);
	const amountLink = { resource: 'paymentLink', operation: 'create', tenantId, pricing: 'amount', amount: 49.9, currency: 'USD', description: 'Deposit' };

	it('when creating a link for an amount, then it sends cents, lowercase currency and the idempotency key header', async () => {
		const execution = fakeExecution({
			parameters: { ...amountLink, options: { idempotencyKey: 'booking-12', contactId: 'c-1' } },
			respond: () => jsonResponse(201, { id: 'pl-1', url: 'https://buy.stripe.com/x' }),
		});

		const [output] = await run(execution);

		expect(execution.requests[0].options.body).to.deep.equal({ contactId: 'c-1', amount: 4990, currency: 'usd', description: 'Deposit' });
		expect(execution.requests[0].options.headers).to.include({ 'Idempotency-Key': 'booking-12' });
		expect(output[0].json.url).to.equal('https://buy.stripe.com/x');
	});

	it('when creating a link from a Stripe price, then it sends the price id and no amount', async () => {
		const execution = fakeExecution({
			parameters: { resource: 'paymentLink', operation: 'create', tenantId, pricing: 'price', priceId: 'price_1', options: { quantity: 2 } },
			respond: () => jsonResponse(201, { id: 'pl-2' }),
		});

		await run(execution);

		expect(execution.requests[0].options.body).to.deep.equal({ quantity: 2, priceId: 'price_1' });
	});

	it('when the currency is not three letters, then it fails before calling Stripe', async () => {
		const execution = fakeExecution({ parameters: { ...amountLink, currency: 'dollars', options: {} }, respond: () => jsonResponse(201, {}) });

		expect((await expectError(() => run(execution))).message).to.contain('is not a currency code');
		expect(execution.requests).to.have.length(0);
	});

	it('converts amounts to minor units without floating-point drift', () => {
		expect(toMinorUnits(19.99)).to.equal(1999);
		expect(toMinorUnits(0.29)).to.equal(29);
		expect(toMinorUnits(1.005)).to.equal(100);
	});

	it('when getting a link, then it GETs it by id', async () => {
		const execution = fakeExecution({
			parameters: { resource: 'paymentLink', operation: 'get', tenantId, paymentLinkId: 'pl-1' },
			respond: () => jsonResponse(200, { id: 'pl-1', active: false }),
		});

		const [output] = await run(execution);

		expect(execution.requests[0].options.url).to.equal('http://backend.test:4000/api/v1/payment-links/pl-1');
		expect(output[0].json.active).to.equal(false);
	});
});
