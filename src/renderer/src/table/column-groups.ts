import type { Column, ColumnLayout } from '@shared/engine/columns'

/**
 * How the epoch table groups and explains its columns: the sheet's grouping (targets and inputs,
 * layer-1 weights, hidden, layer-2 weights, outputs, errors, gradients), generalised by column
 * kind and layer. Each column's formula (the header tooltip) is columnFormula in src/shared/derivation.ts.
 */
export interface ColumnGroup {
  key: string
  label: string
  /** Columns [from, to) of the order given (the layout's own by default). */
  from: number
  to: number
}

/** Stands, in a shown order, for the targets and inputs folded into one column. */
export const DATA_GROUP = -1

function groupOf(c: Column | undefined, depth: number): { key: string; label: string } {
  if (!c) return { key: 'data', label: 'Targets & inputs' }
  switch (c.kind) {
    case 'target':
    case 'input':
      return { key: 'data', label: 'Targets & inputs' }
    case 'weight':
    case 'bias':
      return { key: `w${c.layer}`, label: `Layer ${c.layer} weights` }
    case 'net':
    case 'out':
      return c.layer === depth
        ? { key: 'out', label: 'Outputs' }
        : { key: `h${c.layer}`, label: depth === 2 ? 'Hidden' : `Hidden ${c.layer}` }
    case 'error':
    case 'loss':
      return { key: 'err', label: 'Errors' }
    case 'penalty':
    case 'testLoss':
    case 'accTrain':
    case 'accTest':
      return { key: 'measures', label: 'Test & accuracy' }
    case 'gradW':
    case 'gradB':
      return { key: 'grad', label: 'Gradients' }
    case 'state':
      return { key: 'state', label: 'Optimizer state' }
  }
}

export function columnGroups(layout: ColumnLayout, order: readonly number[] = layout.columns.map((_, i) => i)): ColumnGroup[] {
  const groups: ColumnGroup[] = []
  order.forEach((col, i) => {
    const g = groupOf(layout.columns[col], layout.shape.depth)
    const last = groups[groups.length - 1]
    if (last && last.key === g.key) last.to = i + 1
    else groups.push({ ...g, from: i, to: i + 1 })
  })
  return groups
}

/**
 * The order the table shows: E_tot first (pinned beside the epoch), then the targets and inputs
 * (they never change during a run) folded into one DATA_GROUP column unless `expanded`, then the rest.
 */
export function shownOrder(layout: ColumnLayout, expanded: boolean): number[] {
  const data = dataColumns(layout)
  const rest = layout.columns.flatMap((c, i) => (i === layout.lossColumn || c.kind === 'target' || c.kind === 'input' ? [] : [i]))
  return [layout.lossColumn, ...(expanded ? data : data.length ? [DATA_GROUP] : []), ...rest]
}

/** The targets and inputs: constant through a run. */
export function dataColumns(layout: ColumnLayout): number[] {
  return layout.columns.flatMap((c, i) => (c.kind === 'target' || c.kind === 'input' ? [i] : []))
}
