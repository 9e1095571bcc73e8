import type ExcelJS from 'exceljs'

/**
 * The parts of exceljs 4.4's streaming writer that its typings do not show and that the export
 * relies on (checked by the export tests): the archive, the style table, a sheet's XML stream
 * (exceljs's StreamBuf, which pipes into the archive), its relationships writer and the hook
 * that writes the sheet's closing elements.
 */
export interface Zip {
  append(source: string | Buffer | NodeJS.ReadableStream, data: { name: string }): unknown
  abort(): unknown
  on(event: 'error', listener: (e: Error) => void): unknown
}

export interface WorkbookWriterInternals extends ExcelJS.stream.xlsx.WorkbookWriter {
  zip: Zip
  styles: { addStyleModel(style: object, cellType: number): number }
}

export interface SheetStream {
  write(text: string): unknown
  once(event: 'zipped', listener: () => void): unknown
  /** Where the data goes once the archive has started this entry. */
  pipes: { _writableState: { length: number }; once(event: 'drain', listener: () => void): unknown }[]
  /** Data waiting before the archive has started this entry. */
  buffers: unknown[]
}

export interface WorksheetWriterInternals extends ExcelJS.Worksheet {
  stream: SheetStream
  commit(): void
  _sheetRelsWriter: { addRelationship(rel: { Type: string; Target: string }): string }
  _writeLegacyData(): void
}
