import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..');

function svelteFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? svelteFiles(join(dir, entry.name)) : entry.name.endsWith('.svelte') ? [join(dir, entry.name)] : [],
  );
}

/** Every literal pattern="…" in the portal's markup, with the file it is in. */
function patternAttributes(): { file: string; pattern: string }[] {
  return svelteFiles(SRC).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/\spattern=(?:"([^"]*)"|'([^']*)')/g)].map((m) => ({ file, pattern: (m[1] ?? m[2])! })),
  );
}

describe('HTML pattern attributes', () => {
  it('when a browser compiles a pattern (with the v flag, as browsers now do), then it is a valid regular expression', () => {
    const patterns = patternAttributes();
    expect(patterns.length).toBeGreaterThan(0);
    for (const { file, pattern } of patterns) {
      // What the HTML standard builds from the attribute: ^(?:pattern)$ with the v flag.
      expect(() => new RegExp(`^(?:${pattern})$`, 'v'), `${file}: pattern="${pattern}"`).not.toThrow();
    }
  });

  it('when a pattern is computed ({…}), then the test cannot check it: patterns stay literal', () => {
    const computed = svelteFiles(SRC).filter((file) => /\spattern=\{/.test(readFileSync(file, 'utf8')));
    expect(computed, 'write pattern="…" literally so it is checked above').toEqual([]);
  });

  it('when a pattern is written as the short-name field uses it, then the v flag accepts the escaped dash', () => {
    const unescaped = '[a-z0-9-]+'; // what the field used to say
    expect(() => new RegExp(`^(?:${unescaped})$`, 'v')).toThrow();
    expect(new RegExp('^(?:[a-z0-9\\-]+)$', 'v').test('acme-dental')).toBe(true);
  });
});
