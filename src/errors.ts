/**
 * A value the user gave that the project type refuses: the message names the option, the value and what is allowed.
 * `projen new` and `npx projen` print it alone (src/project.ts); elsewhere it is an ordinary error with its frames.
 */
export class OptionError extends Error {}
// On the prototype, not the instance: Node prints an uncaught error's own properties after its message.
Object.defineProperty(OptionError.prototype, 'name', { value: 'OptionError', writable: true, configurable: true, enumerable: false });
