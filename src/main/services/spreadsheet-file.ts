import { open } from 'node:fs/promises'
import { basename } from 'node:path'
import { SPREADSHEET_MAX_BYTES } from '../../shared/check/zip-precheck'
import type { OpenedSpreadsheet } from '../../shared/ipc'

/**
 * Reads a workbook for the spreadsheet checker. The size is checked on the open handle before a byte
 * is read, and the read stops at the limit, so a file that grows meanwhile cannot pass it.
 */
export async function readSpreadsheet(path: string): Promise<OpenedSpreadsheet> {
  const name = basename(path)
  const handle = await open(path, 'r').catch(() => {
    throw new Error(`Could not open “${name}”: the file cannot be read.`)
  })
  try {
    const { size } = await handle.stat()
    if (size > SPREADSHEET_MAX_BYTES)
      throw new Error(`“${name}” is ${Math.round(size / 1048576)} MB; the checker reads workbooks up to ${SPREADSHEET_MAX_BYTES / 1048576} MB.`)
    const bytes = new Uint8Array(size)
    const { bytesRead } = await handle.read(bytes, 0, size, 0)
    return { name, bytes: bytes.subarray(0, bytesRead) }
  } finally {
    await handle.close()
  }
}
