import type { LlmMessage } from '../../ports/llm.js';

export type AiTask = 'reply_draft' | 'summary' | 'classify';
export type TaskInput = { task: AiTask; text: string; context?: string; labels?: string[]; instructions?: string };

const TASK_PROMPTS: Record<AiTask, (labels: string[]) => string> = {
  reply_draft: () =>
    'You draft short, friendly replies to a customer of a small business, sent as a text message. ' +
    'Answer with the reply only: no greeting line about being an AI, no quotes, no placeholders.',
  summary: () => 'You summarize conversations and notes for a busy business owner. Answer with a short factual summary only.',
  classify: (labels) =>
    `You classify the customer's message. Answer with exactly one of these labels and nothing else: ${labels.join(', ')}.`,
};

/** The chat messages for a task: task rules, then the tenant's and the caller's instructions, then the input. */
export function buildTaskMessages(input: TaskInput, tenantInstructions: string | null): LlmMessage[] {
  const system = [TASK_PROMPTS[input.task](input.labels ?? []), tenantInstructions, input.instructions].filter(Boolean).join('\n\n');
  const user = input.context ? `Context:\n${input.context}\n\nInput:\n${input.text}` : input.text;
  return [
    { role: 'system', content: system },
    { role: 'user', content: user },
  ];
}

/** The label a classification answer names (case, quotes and trailing punctuation ignored), or null. */
export function matchLabel(answer: string, labels: readonly string[]): string | null {
  const cleaned = answer.trim().toLowerCase().replace(/^["'`\s]+|["'`.!\s]+$/g, '');
  return labels.find((label) => label === cleaned) ?? labels.find((label) => new RegExp(`\\b${label}\\b`).test(cleaned)) ?? null;
}
