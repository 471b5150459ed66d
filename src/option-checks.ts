import { misreadNumber, shownValue } from './command-line';
import { OptionError } from './errors';

/** An email address as SNS takes it: one `@`, a dotted domain, no spaces, at most 254 characters. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_EMAIL_LENGTH = 254;

/** The option's value, or the default when it was left out; `null` (what projen new writes for `--cpu abc`) is a value to refuse. */
export function given<T>(value: T | undefined, fallback: T): T {
  return value === undefined ? fallback : value;
}

/**
 * Throws unless `value` is a whole number from `min` to `max` (and, in `projen new`, what was typed is that number);
 * `why` explains a bound that comes from another option.
 */
export function requireInteger(option: string, value: number, min: number, max: number, why?: string): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max || misreadNumber(option, value)) {
    const range = max === Number.MAX_SAFE_INTEGER ? `a whole number of at least ${min}` : `a whole number from ${min} to ${max}`;
    throw new OptionError(`${option} ${shownValue(option, value)} is not allowed: it must be ${range}${why ? ` (${why})` : ''}.`);
  }
}

/** Throws unless `value` is true or false. */
export function requireBoolean(option: string, value: unknown): void {
  if (typeof value !== 'boolean') {
    throw new OptionError(`${option} ${JSON.stringify(value)} is not allowed: it must be true or false.`);
  }
}

/** Throws unless `value` is a plain object; `example` shows one. */
export function requireObject(path: string, value: unknown, example: string): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new OptionError(`${path} ${JSON.stringify(value)} is not allowed: give an object, e.g. ${example}.`);
  }
}

/** Refuses anything but a list of email addresses, naming the option and the value. */
export function validateNotificationEmails(option: string, emails: unknown): void {
  if (!Array.isArray(emails)) {
    throw new OptionError(`${option} ${JSON.stringify(emails)} is not allowed: give a list of email addresses, e.g. ["team@example.com"].`);
  }
  emails.forEach((email, index) => {
    if (typeof email !== 'string' || !EMAIL.test(email) || email.length > MAX_EMAIL_LENGTH) {
      throw new OptionError(`${option}[${index}] ${JSON.stringify(email)} is not allowed: it must be an email address such as "team@example.com" (at most ${MAX_EMAIL_LENGTH} characters): no spaces, one "@", and a domain with a dot.`);
    }
  });
}
