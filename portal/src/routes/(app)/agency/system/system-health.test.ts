import { describe, expect, it } from 'vitest';
import { ageSeconds, formatAge, formatAgo, formatBytes, n8nExecutionUrl } from './system-health.js';

describe('system health wording', () => {
  it('when an age is given in seconds, then it reads in the largest sensible units', () => {
    expect(formatAge(2)).toBe('just now');
    expect(formatAge(42)).toBe('42 s');
    expect(formatAge(5 * 60 + 59)).toBe('5 min');
    expect(formatAge(3 * 3600)).toBe('3 h');
    expect(formatAge(3 * 3600 + 20 * 60)).toBe('3 h 20 min');
    expect(formatAge(52 * 3600)).toBe('2 days 4 h');
    expect(formatAge(null)).toBe('—');
    expect(formatAgo(3)).toBe('just now');
    expect(formatAgo(600)).toBe('10 min ago');
  });

  it('when bytes are given, then they read in binary units', () => {
    expect(formatBytes(512)).toBe('512 bytes');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(250 * 1024 ** 3)).toBe('250 GB');
    expect(formatBytes(null)).toBe('—');
  });

  it('when the n8n editor URL and the execution are known, then the link opens that execution', () => {
    expect(n8nExecutionUrl('https://n8n.example.com/', 'sbAfterCall00001', '4711')).toBe('https://n8n.example.com/workflow/sbAfterCall00001/executions/4711');
    expect(n8nExecutionUrl(undefined, 'sbAfterCall00001', '4711')).toBeUndefined();
    expect(n8nExecutionUrl('https://n8n.example.com', 'sbAfterCall00001', null)).toBeUndefined();
  });

  it('when a time is in the past, then its age is counted from now', () => {
    expect(ageSeconds('2026-12-07T11:59:00Z', new Date('2026-12-07T12:00:00Z'))).toBe(60);
  });
});
