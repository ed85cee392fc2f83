/** An overrider that cannot apply to this particular object; apply.ts reports it as a failure. */
export class OverrideError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OverrideError';
  }
}
