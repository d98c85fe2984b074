import { existsSync, readdirSync } from 'node:fs';
import { expect } from 'chai';
import { readRepoFile, repoPath } from './support/repo.js';

type Instruction = { keyword: string; args: string };

/** Dockerfile instructions with line continuations joined and comments dropped. */
function instructions(text: string): Instruction[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [keyword, ...rest] = line.split(/\s+/);
      return { keyword: keyword!.toUpperCase(), args: rest.join(' ') };
    });
}

const dockerfiles = readdirSync(repoPath('deploy/docker')).filter((f) => f.endsWith('.Dockerfile'));

describe('deploy/docker Dockerfiles', () => {
  it('when listed, then there is one per built image (backend, portal, n8n)', () => {
    expect(dockerfiles).to.have.members(['backend.Dockerfile', 'portal.Dockerfile', 'n8n.Dockerfile']);
  });

  for (const file of dockerfiles) {
    const steps = instructions(readRepoFile('deploy/docker', file));

    it(`when ${file} names a base image, then it is a pinned version (no latest)`, () => {
      const args = new Map<string, string>();
      const stages = new Set<string>();
      for (const step of steps) {
        if (step.keyword === 'ARG') {
          const [name, value] = step.args.split('=');
          if (value !== undefined) args.set(name!, value);
        }
        if (step.keyword !== 'FROM') continue;
        const [rawImage, , stage] = step.args.split(/\s+/);
        const image = rawImage!.replace(/\$\{(\w+)\}/g, (_, name: string) => args.get(name) ?? `<unset ${name}>`);
        if (stage) stages.add(stage);
        if (stages.has(image)) continue;
        expect(image, `${file}: FROM ${rawImage}`).to.match(/^[\w./-]+:\d+\.\d+[\w.-]*$/);
      }
    });

    it(`when ${file} copies from the build context, then the source exists`, () => {
      const sources = steps
        .filter((s) => s.keyword === 'COPY' && !s.args.includes('--from='))
        .flatMap((s) => s.args.split(/\s+/).filter((a) => !a.startsWith('--')).slice(0, -1));
      for (const source of sources) expect(existsSync(repoPath(source)), `${file}: COPY ${source}`).to.equal(true);
    });

    it(`when ${file} is built, then it needs no frontend image from a registry (no "# syntax=" line)`, () => {
      expect(readRepoFile('deploy/docker', file), file).to.not.match(/^#\s*syntax\s*=/m);
    });

    it(`when ${file} runs its application stage, then it is not as root`, () => {
      // The application stage: `runtime` where a file has several targets (backend.Dockerfile's `backup` stage runs
      // as root on purpose: it writes the host's ./backups and restores n8n's folder with its owner's ids).
      const runtimeFrom = steps.findIndex((s) => s.keyword === 'FROM' && / AS runtime$/i.test(s.args));
      const lastFrom = runtimeFrom >= 0 ? runtimeFrom : steps.map((s) => s.keyword).lastIndexOf('FROM');
      const users = steps.slice(lastFrom).filter((s) => s.keyword === 'USER');
      expect(users.at(-1)?.args, file).to.equal('node');
    });
  }

  it('when the build context is sent, then .dockerignore keeps out node_modules, build output and .env', () => {
    const ignored = readRepoFile('.dockerignore').split('\n');
    expect(ignored).to.include.members(['**/node_modules', '**/dist', '.env', '.env.*', '.git']);
  });
});
