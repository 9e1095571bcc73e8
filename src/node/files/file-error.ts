/** A file operation that failed, with a message meant for the user (shown as is in the window). */
export class FileError extends Error {
  constructor(
    message: string,
    /** The step that failed, for saving; the errno code when the system gave one. */
    readonly step?: string,
    readonly code?: string
  ) {
    super(message)
    this.name = 'FileError'
  }
}

/** The system's reason in words a user can act on. */
export function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code
  switch (code) {
    case 'ENOENT':
      return 'it does not exist'
    case 'ENOTDIR':
      return 'a part of the path is not a folder'
    case 'EISDIR':
      return 'it is a folder'
    case 'EACCES':
    case 'EPERM':
      return 'permission denied (the folder or file is read-only, or another program holds it)'
    case 'EROFS':
      return 'the disk is read-only'
    case 'ENOSPC':
      return 'the disk is full'
    case 'EDQUOT':
      return 'the disk quota is used up'
    case 'EFBIG':
      return 'the file is larger than this disk or account allows'
    case 'EBUSY':
      return 'another program is using it'
    case 'EMFILE':
    case 'ENFILE':
      return 'too many files are open'
    case 'EIO':
      return 'the disk reported an input/output error'
    case 'ENAMETOOLONG':
      return 'the name is too long'
    default:
      return code ? `${code}: ${(error as Error).message}` : error instanceof Error ? error.message : String(error)
  }
}
