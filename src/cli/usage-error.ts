/** A mistake in how the command was called (flags, config): exit code 2, message, no stack. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
