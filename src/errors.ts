/**
 * A value the user gave that the project type refuses. `projen new` prints an error's `stack` (projen's
 * src/cli/index.ts), so its stack is the message alone: the frames of our validation tell a user nothing.
 */
export class OptionError extends Error {
  constructor(message: string) {
    super(message);
    Object.defineProperty(this, 'stack', { value: message, writable: true, configurable: true, enumerable: false });
  }
}
// On the prototype, not the instance: Node prints an uncaught error's own properties after its message.
Object.defineProperty(OptionError.prototype, 'name', { value: 'OptionError', writable: true, configurable: true, enumerable: false });
