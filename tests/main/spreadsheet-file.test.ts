import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readSpreadsheet } from '../../src/main/services/spreadsheet-file'
import { SPREADSHEET_MAX_BYTES } from '../../src/shared/check'

describe('readSpreadsheet: the workbook the checker receives over IPC', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bplab-sheet-'))

  it('reads a file’s bytes and name', async () => {
    writeFileSync(join(dir, 'a.xlsx'), new Uint8Array([1, 2, 3]))
    const sheet = await readSpreadsheet(join(dir, 'a.xlsx'))
    expect(sheet.name).toBe('a.xlsx')
    expect([...sheet.bytes]).toEqual([1, 2, 3])
  })

  it('refuses a file over the size limit before reading it, and a missing file, with one sentence', async () => {
    const big = join(dir, 'big.xlsx')
    writeFileSync(big, '')
    truncateSync(big, SPREADSHEET_MAX_BYTES + 1) // sparse: no disk space used
    await expect(readSpreadsheet(big)).rejects.toThrow(/^“big\.xlsx” is 32 MB; the checker reads workbooks up to 32 MB\.$/)
    await expect(readSpreadsheet(join(dir, 'none.xlsx'))).rejects.toThrow(/^Could not open “none\.xlsx”: the file cannot be read\.$/)
  })
})
