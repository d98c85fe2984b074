import { expect } from 'chai';
import { composeVariableUses } from './support/compose.js';
import { parseEnvExample } from './support/env-example.js';

// Read by the compose client itself rather than interpolated in docker-compose.yml.
const readByComposeItself = ['COMPOSE_PROJECT_NAME'];

describe('.env.example', () => {
  const variables = parseEnvExample();
  const byName = new Map(variables.map((v) => [v.name, v]));
  const uses = composeVariableUses();

  it('when a variable is listed (even commented out), then a REQUIRED or OPTIONAL line describes it', () => {
    expect(variables.length).to.be.greaterThan(10);
    const undescribed = variables.filter((v) => v.requirement === undefined).map((v) => v.name);
    expect(undescribed).to.deep.equal([]);
  });

  it('when a variable is listed twice, then that is a mistake', () => {
    const names = variables.map((v) => v.name);
    expect(names.filter((name, i) => names.indexOf(name) !== i)).to.deep.equal([]);
  });

  it('when a secret is to be generated, then its example value is empty and the recipe is one init-env.sh knows', () => {
    const secrets = variables.filter((v) => v.generate !== undefined);
    expect(secrets.map((v) => v.name)).to.include.members(['SESSION_SECRET', 'CLIENT_ADDRESS_SECRET', 'ENCRYPTION_KEY', 'N8N_ENCRYPTION_KEY', 'POSTGRES_PASSWORD', 'REDIS_PASSWORD']);
    for (const secret of secrets) {
      expect(secret.value, `${secret.name} must have no shared default`).to.equal('');
      expect(secret.generate, secret.name).to.match(/^openssl rand -(hex|base64) \d+$/);
    }
  });

  it('when a variable is named like a secret, then the example leaves it empty', () => {
    const secretLike = variables.filter((v) => /(PASSWORD|SECRET|_KEY)$/.test(v.name));
    for (const variable of secretLike) expect(variable.value, variable.name).to.equal('');
  });

  it('when a variable is REQUIRED and not generated, then the example gives a value that works locally', () => {
    const required = variables.filter((v) => v.active && v.requirement === 'required' && v.generate === undefined);
    for (const variable of required) expect(variable.value, variable.name).to.not.equal('');
  });

  it('when docker-compose.yml interpolates a variable, then .env.example documents it', () => {
    const undocumented = [...new Set(uses.map((u) => u.name))].filter((name) => !byName.has(name));
    expect(undocumented).to.deep.equal([]);
  });

  it('when .env.example sets a variable, then docker-compose.yml uses it', () => {
    const used = new Set([...uses.map((u) => u.name), ...readByComposeItself]);
    const unused = variables.filter((v) => v.active && !used.has(v.name)).map((v) => v.name);
    expect(unused).to.deep.equal([]);
  });

  it('when a REQUIRED variable is used by compose, then compose stops with a message if it is empty', () => {
    for (const variable of variables.filter((v) => v.requirement === 'required')) {
      const guarded = uses.some((u) => u.name === variable.name && u.operator === ':?' && (u.argument ?? '').length > 0);
      expect(guarded, `${variable.name} needs a \${${variable.name}:?message} somewhere in docker-compose.yml`).to.equal(true);
    }
  });

  it('when an OPTIONAL variable is used by compose, then every use falls back to the documented default', () => {
    for (const variable of variables.filter((v) => v.requirement === 'optional')) {
      for (const use of uses.filter((u) => u.name === variable.name)) {
        expect(`${use.operator}${use.argument}`, variable.name).to.equal(`:-${variable.optionalDefault}`);
      }
    }
  });
});
