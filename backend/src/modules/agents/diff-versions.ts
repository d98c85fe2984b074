import type { PromptVersion } from './agent-types.js';

export type DiffLine = { op: 'same' | 'added' | 'removed'; text: string };

/** The text a version is judged by: its facts (one field per line) and its instructions. */
export function versionText(version: Pick<PromptVersion, 'facts' | 'instructions'>): string {
  const facts = Object.entries(version.facts)
    .filter(([, value]) => value !== undefined && value !== '')
    .flatMap(([key, value]) =>
      Array.isArray(value) ? value.map((item: { question: string; answer: string }) => `faq: ${item.question} -> ${item.answer}`) : [`${key}: ${String(value)}`]);
  return [...facts, '---', ...version.instructions.split('\n')].join('\n');
}

/** Line diff (longest common subsequence): what changed from `before` to `after`. */
export function diffLines(before: string, after: string): DiffLine[] {
  const a = before.split('\n');
  const b = after.split('\n');
  // lengths[i][j] = LCS length of a[i..] and b[j..]
  const lengths = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i -= 1) {
    for (let j = b.length - 1; j >= 0; j -= 1) {
      lengths[i]![j] = a[i] === b[j] ? lengths[i + 1]![j + 1]! + 1 : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
    }
  }
  const lines: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      lines.push({ op: 'same', text: a[i]! });
      i += 1;
      j += 1;
    } else if (lengths[i + 1]![j]! >= lengths[i]![j + 1]!) {
      lines.push({ op: 'removed', text: a[i++]! });
    } else {
      lines.push({ op: 'added', text: b[j++]! });
    }
  }
  while (i < a.length) lines.push({ op: 'removed', text: a[i++]! });
  while (j < b.length) lines.push({ op: 'added', text: b[j++]! });
  return lines;
}
