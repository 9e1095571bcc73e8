import type { Column, ColumnLayout } from '@shared/engine/columns'

/**
 * How the epoch table groups and explains its columns: the sheet's grouping (targets and inputs,
 * layer-1 weights, hidden, layer-2 weights, outputs, errors, gradients), generalised by column
 * kind and layer. Each column's formula (the header tooltip) is columnFormula in src/shared/derivation.ts.
 */
export interface ColumnGroup {
  key: string
  label: string
  /** Columns [from, to) of the layout. */
  from: number
  to: number
}

function groupOf(c: Column, depth: number): { key: string; label: string } {
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
    case 'gradW':
    case 'gradB':
      return { key: 'grad', label: 'Gradients' }
  }
}

export function columnGroups(layout: ColumnLayout): ColumnGroup[] {
  const groups: ColumnGroup[] = []
  layout.columns.forEach((c, i) => {
    const g = groupOf(c, layout.shape.depth)
    const last = groups[groups.length - 1]
    if (last && last.key === g.key) last.to = i + 1
    else groups.push({ ...g, from: i, to: i + 1 })
  })
  return groups
}
