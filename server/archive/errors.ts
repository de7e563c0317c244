/** A file that cannot be imported, with where the problem is, so a batch can report it and go on. */
export class ArchiveFormatError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = 'ArchiveFormatError';
  }

  /** `keynote.md:4: title is required`: the form editors and compilers use. */
  get location(): string {
    return `${this.file}:${this.line}`;
  }
}
