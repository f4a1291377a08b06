/** Thrown by commands to end with a given exit code after printing their own output. */
export class ExitCode extends Error {
  override name = 'ExitCode';
  readonly code: number;
  constructor(code: number) {
    super(`exit ${code}`);
    this.code = code;
  }
}
