import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import PlanForm from './PlanForm.svelte';

describe('the new-plan form', () => {
  it('when an agency starts a new plan, then every channel and feature is ticked (a plan is narrowed on purpose, not by a forgotten box)', () => {
    const flags = [{ key: 'inbox.unified', description: 'One inbox' }, { key: 'audit.export', description: 'Export the audit trail' }];
    const body = render(PlanForm, { props: { currency: 'usd', flags, form: null } as never }).body;
    const boxes = [...body.matchAll(/<input type="checkbox" name="(channels|features)" value="([^"]+)"([^>]*)>/g)];
    expect(boxes.map((m) => m[2])).toEqual(expect.arrayContaining(['sms', 'web_chat', 'telegram', 'inbox.unified', 'audit.export']));
    expect(boxes.length).toBeGreaterThanOrEqual(8);
    expect(boxes.filter((m) => !m[3]!.includes('checked'))).toEqual([]);
  });
});
