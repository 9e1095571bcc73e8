import { LIMITS, megabytes } from '../limits'

/**
 * Reads a zip archive's central directory (no inflating) to refuse, before exceljs spends memory on
 * it, what is not an xlsx workbook or would unpack to more than the checker takes: a zip bomb of a
 * few megabytes can expand to gigabytes.
 */
export const SPREADSHEET_MAX_BYTES = LIMITS.maxSpreadsheetBytes
export const SPREADSHEET_MAX_UNPACKED = LIMITS.maxSpreadsheetUnpackedBytes

export class UnreadableWorkbook extends Error {}

export function precheckXlsx(bytes: Uint8Array): void {
  if (bytes.length > SPREADSHEET_MAX_BYTES) throw new UnreadableWorkbook(`${mb(bytes.length)} is larger than the checker reads (${mb(SPREADSHEET_MAX_BYTES)})`)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  // End of central directory: signature 0x06054b50 within the last 64 KiB + 22 bytes.
  let eocd = -1
  for (let p = bytes.length - 22; p >= Math.max(0, bytes.length - 65_557); p--) {
    if (view.getUint32(p, true) === 0x06054b50) {
      eocd = p
      break
    }
  }
  if (eocd < 0) throw new UnreadableWorkbook('not an xlsx workbook (not a zip archive)')
  const count = view.getUint16(eocd + 10, true)
  let p = view.getUint32(eocd + 16, true)
  let unpacked = 0
  let hasWorkbook = false
  for (let i = 0; i < count; i++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== 0x02014b50) throw new UnreadableWorkbook('not an xlsx workbook (damaged zip archive)')
    const size = view.getUint32(p + 24, true)
    const nameLength = view.getUint16(p + 28, true)
    const extra = view.getUint16(p + 30, true)
    const comment = view.getUint16(p + 32, true)
    const name = new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLength))
    if (name === 'xl/workbook.xml') hasWorkbook = true
    // 0xFFFFFFFF: the real size is in a zip64 field; count it as too big rather than parse it.
    unpacked += size === 0xffffffff ? Infinity : size
    p += 46 + nameLength + extra + comment
  }
  if (!hasWorkbook) throw new UnreadableWorkbook('a zip archive, but not an xlsx workbook (no xl/workbook.xml)')
  if (unpacked > SPREADSHEET_MAX_UNPACKED) throw new UnreadableWorkbook(`unpacks to more than ${mb(SPREADSHEET_MAX_UNPACKED)}, more than the checker reads`)
}

const mb = (n: number): string => `${megabytes(n)} MB`
