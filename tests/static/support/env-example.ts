import { readRepoFile } from './repo.js';

export type EnvExampleVariable = {
  name: string;
  value: string;
  /** false for commented-out variables (`# GOOGLE_CLIENT_ID=`) */
  active: boolean;
  /** the comment lines directly above the variable */
  comments: string[];
  requirement: 'required' | 'optional' | undefined;
  /** the word after "OPTIONAL: default ", without a trailing period */
  optionalDefault: string | undefined;
  /** the command after "Generate: " */
  generate: string | undefined;
};

const activeVariable = /^([A-Z][A-Z0-9_]*)=(.*)$/;
const commentedVariable = /^#\s*([A-Z][A-Z0-9_]*)=(.*)$/;

function describe(name: string, value: string, active: boolean, comments: string[]): EnvExampleVariable {
  const requirementLine = comments.find((c) => /^# (REQUIRED|OPTIONAL):/.test(c));
  const optionalDefault = /^# OPTIONAL: default (\S+?)\.?(\s|$)/.exec(requirementLine ?? '')?.[1];
  return {
    name,
    value,
    active,
    comments,
    requirement: requirementLine?.startsWith('# REQUIRED:') ? 'required' : requirementLine ? 'optional' : undefined,
    optionalDefault,
    generate: comments.map((c) => /^# Generate: (.+)$/.exec(c)?.[1]).find(Boolean),
  };
}

/** Every variable of .env.example, active or commented out, with the comment block above it. */
export function parseEnvExample(text = readRepoFile('.env.example')): EnvExampleVariable[] {
  const variables: EnvExampleVariable[] = [];
  let block: string[] = [];
  for (const line of text.split('\n')) {
    const active = activeVariable.exec(line);
    const commented = commentedVariable.exec(line);
    const match = active ?? commented;
    if (match) {
      variables.push(describe(match[1]!, match[2]!, Boolean(active), block));
      block = [];
    } else if (line.startsWith('#')) {
      block.push(line);
    } else {
      block = [];
    }
  }
  return variables;
}
