import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import type { Page } from 'playwright-core';

const ROUTES = join(import.meta.dirname, '..', '..', '..', 'portal', 'src', 'routes');

/** Every page of the portal as a URL template ("/contacts/[contactId]"), read from the route files so new pages are covered. */
export function portalPages(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name));
      else if (entry.name === '+page.svelte') {
        const segments = relative(ROUTES, dir).split(sep).filter((s) => s !== '' && !/^\(.*\)$/.test(s));
        found.push(`/${segments.join('/')}`);
      }
    }
  };
  walk(ROUTES);
  return found.sort();
}

/** Fills "[name]" segments from `ids`; an unknown segment fails loudly so a new dynamic page gets a real id here. */
export function fillSegments(template: string, ids: Record<string, string>): string {
  return template.replace(/\[\.{0,3}([^\]=]+)(?:=[^\]]+)?\]/g, (_, name: string) => {
    const id = ids[name];
    if (!id) throw new Error(`no id for the route segment [${name}] in ${template}: add one to the phone-width test`);
    return id;
  });
}

/**
 * Elements that stick out of the viewport (not clipped by an ancestor), described for the failure message.
 * Plain JavaScript in a string: the TypeScript loader would add helpers the page does not have.
 */
const OVERFLOWING = `(() => {
  const width = window.innerWidth;
  function clipped(el) {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'hidden' || o === 'clip') return true;
    }
    return false;
  }
  function describe(el) {
    const id = el.id ? '#' + el.id : '';
    const cls = typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
    const text = (el.textContent || '').trim().slice(0, 40);
    const rect = el.getBoundingClientRect();
    return el.tagName.toLowerCase() + id + cls + ' (' + Math.round(rect.left) + '..' + Math.round(rect.right) + ' px) "' + text + '"';
  }
  const out = [];
  for (const el of Array.from(document.body.querySelectorAll('*'))) {
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) continue;
    if ((rect.right > width + 1 || rect.left < -1) && !clipped(el)) out.push(describe(el));
  }
  return out.slice(0, 10);
})()`;

export async function overflowingElements(page: Page): Promise<string[]> {
  return page.evaluate(OVERFLOWING) as Promise<string[]>;
}

const axeSource = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const AXE_RUN = `axe.run(document, { resultTypes: ['violations'] }).then((result) => result.violations.map((v) => ({
  id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)),
})))`;

/** axe-core's serious and critical violations on the page, one line each (the context needs bypassCSP: the script is injected). */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(`typeof axe !== 'undefined'`))) await page.addScriptTag({ path: axeSource });
  const violations = (await page.evaluate(AXE_RUN)) as { id: string; impact: string | null; help: string; targets: string[] }[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.targets.join(', ')}`);
}
