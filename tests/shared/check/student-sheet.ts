import ExcelJS from 'exceljs'

/**
 * Builds a student's backpropagation workbook the way students do, for the checker's tests: the
 * classic 2-2-2 sheet computed here by an implementation independent of the engine (plain
 * arithmetic, as the sheet's formulas do it), laid out with the spellings, orders, extra columns,
 * η cells and stored precision given, and with a slip injected where a test asks for one.
 */
export const CLASSIC = ['t1', 't2', 'i1', 'i2', 'w1', 'w2', 'w3', 'w4', 'h1', 'out_h1', 'h2', 'out_h2', 'w5', 'w6', 'w7', 'w8', 'o1', 'out_o1', 'o2', 'out_o2', 'E1', 'E2', 'E_tot',
  '∂E/∂w1', '∂E/∂w2', '∂E/∂w3', '∂E/∂w4', '∂E/∂w5', '∂E/∂w6', '∂E/∂w7', '∂E/∂w8'] as const
export type Name = (typeof CLASSIC)[number]
export type Row = Record<Name, number>

export interface Slip {
  /** Replaces a computed value of epoch `epoch` (1-based); later values follow from it. */
  (name: Name, row: Row, epoch: number, previous: Row | null): number | undefined
}

export interface SheetOptions {
  eta: number
  epochs?: number
  /** η as the update formulas use it: the η the rows are computed with (default: eta). */
  usedEta?: number
  /** Header text per column (default: the app's names). */
  spelling?: Partial<Record<Name, string>>
  /** Column order; columns left out are not in the sheet. */
  columns?: readonly Name[]
  /** Columns before the table (`No`, `Step`) and a helper column inserted after this one. */
  leading?: string[]
  helperAfter?: Name
  headerRow?: number
  firstCol?: number
  /** How the sheet states η: a labelled cell (label text), a defined name, or not at all. */
  etaCell?: { label: string } | 'named' | 'none'
  /** Store values rounded: to significant digits (Google Sheets) or decimal places (pasted as shown). */
  round?: { digits: number } | { places: number }
  formulas?: boolean
  slip?: Slip
  /** Cells typed as numbers where the others hold formulas: [epoch, name, value]. */
  typed?: [number, Name, number][]
  inputs?: [number, number]
  targets?: [number, number]
  weights?: number[]
  sheetName?: string
}

const sig = (x: number): number => 1 / (1 + Math.exp(-x))

/** The classic sheet's rows, computed the way its formulas do. */
export function classicRows(o: SheetOptions): Row[] {
  const [i1, i2] = o.inputs ?? [0.05, 0.1]
  const [t1, t2] = o.targets ?? [0.01, 0.99]
  let w = o.weights ?? [0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55]
  const rows: Row[] = []
  const eta = o.usedEta ?? o.eta
  for (let epoch = 1; epoch <= (o.epochs ?? 20); epoch++) {
    const r = { t1, t2, i1, i2 } as Row
    const prev = rows[rows.length - 1] ?? null
    const set = (name: Name, value: number): number => (r[name] = o.slip?.(name, { ...r, [name]: value }, epoch, prev) ?? value)
    w.forEach((v, k) => set(`w${k + 1}` as Name, v))
    set('h1', r.w1 * i1 + r.w2 * i2)
    set('out_h1', sig(r.h1))
    set('h2', r.w3 * i1 + r.w4 * i2)
    set('out_h2', sig(r.h2))
    set('o1', r.out_h1 * r.w5 + r.out_h2 * r.w6)
    set('out_o1', sig(r.o1))
    set('o2', r.out_h1 * r.w7 + r.out_h2 * r.w8)
    set('out_o2', sig(r.o2))
    set('E1', 0.5 * (t1 - r.out_o1) ** 2)
    set('E2', 0.5 * (t2 - r.out_o2) ** 2)
    set('E_tot', r.E1 + r.E2)
    const d1 = (r.out_o1 - t1) * r.out_o1 * (1 - r.out_o1)
    const d2 = (r.out_o2 - t2) * r.out_o2 * (1 - r.out_o2)
    const b1 = (d1 * r.w5 + d2 * r.w7) * r.out_h1 * (1 - r.out_h1)
    const b2 = (d1 * r.w6 + d2 * r.w8) * r.out_h2 * (1 - r.out_h2)
    set('∂E/∂w1', b1 * i1)
    set('∂E/∂w2', b1 * i2)
    set('∂E/∂w3', b2 * i1)
    set('∂E/∂w4', b2 * i2)
    set('∂E/∂w5', d1 * r.out_h1)
    set('∂E/∂w6', d1 * r.out_h2)
    set('∂E/∂w7', d2 * r.out_h1)
    set('∂E/∂w8', d2 * r.out_h2)
    rows.push(r)
    w = w.map((v, k) => v - eta * r[`∂E/∂w${k + 1}` as Name])
  }
  return rows
}

function rounded(x: number, round: SheetOptions['round']): number {
  if (!round) return x
  return 'digits' in round ? Number(x.toPrecision(round.digits)) : Number(x.toFixed(round.places))
}

/** Adds one table to a sheet of the workbook; returns the sheet. */
export function addTable(wb: ExcelJS.Workbook, o: SheetOptions): ExcelJS.Worksheet {
  const ws = wb.getWorksheet(o.sheetName ?? 'Sheet1') ?? wb.addWorksheet(o.sheetName ?? 'Sheet1')
  const headerRow = o.headerRow ?? 30
  const firstCol = o.firstCol ?? 1
  const columns: (Name | string)[] = [...(o.leading ?? [])]
  for (const name of o.columns ?? CLASSIC) {
    columns.push(name)
    if (name === o.helperAfter) columns.push('helper')
  }
  const colOf = (name: string): number => firstCol + columns.indexOf(name)
  const letter = (name: string): string => ws.getColumn(colOf(name)).letter

  // η: a labelled cell two rows above the header, or a defined name.
  let etaRef = String(o.eta)
  if (o.etaCell !== 'none') {
    const cell = ws.getCell(headerRow - 2, firstCol + 1)
    cell.value = o.eta
    etaRef = `$${ws.getColumn(firstCol + 1).letter}$${headerRow - 2}`
    if (o.etaCell === 'named') cell.name = 'eta'
    else ws.getCell(headerRow - 2, firstCol).value = (o.etaCell ?? { label: 'η =' }).label
    if (o.etaCell === 'named') etaRef = 'eta'
  }
  columns.forEach((name, k) => (ws.getCell(headerRow, firstCol + k).value = o.spelling?.[name as Name] ?? name))
  const rows = classicRows(o)
  rows.forEach((r, e) => {
    const row = headerRow + 1 + e
    columns.forEach((name) => {
      const cell = ws.getCell(row, colOf(name))
      if (name === 'No' || name === 'Step') return void (cell.value = e + 1)
      if (name === 'helper') return void (cell.value = 'note')
      if (!(name in r)) return
      const typed = o.typed?.find(([epoch, n]) => epoch === e + 1 && n === name)
      const value = typed ? typed[2] : rounded(r[name as Name], o.round)
      const given = /^[ti]\d$/.test(name) || (/^w\d$/.test(name) && e === 0)
      if (given || typed || o.formulas === false) return void (cell.value = value)
      const formula = /^w\d$/.test(name)
        ? `${letter(name)}${row - 1}-${etaRef}*${letter(`∂E/∂${name}`)}${row - 1}`
        : `${letter(name)}${row - 1}+0` // stands for the real formula: the checker reads cached results
      cell.value = { formula, result: value }
    })
  })
  return ws
}

export async function workbookBytes(...tables: SheetOptions[]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook()
  for (const t of tables) addTable(wb, t)
  return new Uint8Array(await wb.xlsx.writeBuffer())
}
