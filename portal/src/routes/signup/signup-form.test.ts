import { describe, expect, it } from 'vitest';
import { fieldOfIssue, keptValues, readSignupForm } from './signup-form.js';

const PLAN = '3f0c8a52-6a55-4c1b-9d55-0d7a2f1b9e10';

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  const all = { businessName: 'Bloom Florists', name: 'Rosa Petal', email: 'Rosa@Example.com ', password: 'correct horse battery', planId: PLAN, interval: 'year', timeZone: 'Europe/Berlin', ...fields };
  for (const [key, value] of Object.entries(all)) data.set(key, value);
  return data;
}

describe('readSignupForm', () => {
  it('when every field is right, then there are no errors and the values are tidied (e-mail trimmed and lowercased)', () => {
    const { values, errors } = readSignupForm(form({}));
    expect(errors).toEqual({});
    expect(values).toEqual({ businessName: 'Bloom Florists', name: 'Rosa Petal', email: 'rosa@example.com', password: 'correct horse battery', planId: PLAN, interval: 'year', timeZone: 'Europe/Berlin' });
  });

  it('when fields are missing or too short, then each gets its own sentence', () => {
    const { errors } = readSignupForm(form({ businessName: ' B ', name: '  ', email: 'rosa@', password: 'short', planId: '' }));
    expect(errors).toEqual({
      businessName: 'Enter your business name.',
      name: 'Enter your name.',
      email: 'Enter an e-mail address you can open now: we send a link to it.',
      password: 'Choose a password of at least 12 characters.',
      planId: 'Choose a plan.',
    });
  });

  it('when the password has spaces around it, then they are kept (a password is not trimmed)', () => {
    expect(readSignupForm(form({ password: '  twelve chars ' })).values.password).toBe('  twelve chars ');
  });

  it('when the interval or time zone is unknown, then monthly and UTC are used rather than refusing', () => {
    const { values, errors } = readSignupForm(form({ interval: 'weekly', timeZone: 'Mars/Olympus' }));
    expect(errors).toEqual({});
    expect(values.interval).toBe('month');
    expect(values.timeZone).toBe('UTC');
  });

  it('when the names are very long, then they are refused with the limit', () => {
    const { errors } = readSignupForm(form({ businessName: 'x'.repeat(201), password: 'p'.repeat(257) }));
    expect(errors.businessName).toMatch(/200/);
    expect(errors.password).toMatch(/256/);
  });
});

describe('fieldOfIssue and keptValues', () => {
  it('when the API names body.email, then the message goes beside the e-mail input; unknown paths go to the form', () => {
    expect(fieldOfIssue('body.email')).toBe('email');
    expect(fieldOfIssue('body.agencyId')).toBe('form');
  });

  it('when a submit fails, then everything but the password is shown again', () => {
    const { values } = readSignupForm(form({}));
    expect(keptValues(values)).not.toHaveProperty('password');
    expect(keptValues(values).businessName).toBe('Bloom Florists');
  });
});
