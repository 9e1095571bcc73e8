/**
 * Cell styles of the exported workbook, as plain data in exceljs's style shape, so the Node
 * (streaming) and the browser (in-memory) writers format every cell alike.
 */
export type StyleKey = 'title' | 'label' | 'text' | 'param' | 'header' | 'num' | 'sci' | 'loss' | 'int' | 'note'

export interface CellStyle {
  numFmt?: string
  font?: { bold?: boolean; italic?: boolean; size?: number; color?: { argb: string } }
  fill?: { type: 'pattern'; pattern: 'solid'; fgColor: { argb: string } }
  alignment?: { horizontal?: 'left' | 'center' | 'right'; wrapText?: boolean }
  border?: { bottom?: { style: 'thin'; color?: { argb: string } } }
}

const solid = (argb: string): CellStyle['fill'] => ({ type: 'pattern', pattern: 'solid', fgColor: { argb } })

export const NUMBER_FORMAT = '0.000000000'
export const SMALL_NUMBER_FORMAT = '0.000000E+00'

export const STYLES: Record<StyleKey, CellStyle> = {
  title: { font: { bold: true, size: 14 } },
  label: { font: { bold: true } },
  text: {},
  note: { font: { italic: true, color: { argb: 'FF555555' } } },
  // A value students may edit (η, μ, inputs, targets, initial weights): the sheet recomputes.
  param: { numFmt: 'General', fill: solid('FFFFF2CC'), border: { bottom: { style: 'thin', color: { argb: 'FFBF9000' } } } },
  header: { font: { bold: true }, fill: solid('FFD9E1F2'), alignment: { horizontal: 'center' }, border: { bottom: { style: 'thin' } } },
  num: { numFmt: NUMBER_FORMAT },
  sci: { numFmt: SMALL_NUMBER_FORMAT },
  // E_tot, highlighted as in the original sheet.
  loss: { numFmt: NUMBER_FORMAT, font: { bold: true }, fill: solid('FFFCE4D6') },
  int: { numFmt: '0' },
}

export const STYLE_KEYS = Object.keys(STYLES) as StyleKey[]
