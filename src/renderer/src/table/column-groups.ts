import { neuronName, type Column, type ColumnLayout } from '@shared/engine/columns'
import type { Activation, Loss, RunConfig } from '@shared/engine/types'

/**
 * How the epoch table groups and explains its columns: the sheet's grouping (targets and inputs,
 * layer-1 weights, hidden, layer-2 weights, outputs, errors, gradients), generalised by column
 * kind and layer, and each column's formula for its tooltip.
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

const ACTIVATION_TEXT: Record<Activation, (x: string) => string> = {
  sigmoid: (x) => `σ(${x}) = 1 / (1 + e^−${x})`,
  tanh: (x) => `tanh(${x})`,
  relu: (x) => `max(0, ${x})`,
  'leaky-relu': (x) => `${x} if ${x} > 0, else 0.01·${x}`,
  linear: (x) => x,
  softmax: (x) => `softmax: e^${x} / Σ e^o`,
}

function lossText(loss: Loss, k: number, K: number, sfx: string): string {
  const t = `t${k}${sfx}`
  const o = `out_o${k}${sfx}`
  switch (loss) {
    case 'half-sse':
      return `E${k}${sfx} = ½ (${t} − ${o})²`
    case 'mse':
      return `E${k}${sfx} = (${t} − ${o})² / ${K}`
    case 'bce':
      return `E${k}${sfx} = −(${t}·ln ${o} + (1 − ${t})·ln(1 − ${o}))`
    case 'softmax-ce':
      return `E${k}${sfx} = −${t}·ln ${o}`
  }
}

/** The formula behind one column, for its tooltip. */
export function columnFormula(layout: ColumnLayout, config: RunConfig, col: number): string {
  const c = layout.columns[col]
  const { shape, sampleCount } = layout
  const sfx = c.sample >= 0 && sampleCount > 1 ? `_s${c.sample + 1}` : ''
  const perSample = sampleCount > 1 ? ' (mean over samples)' : ''
  const sourceName = (l: number, i: number): string => (l === 1 ? `i${i + 1}` : `out_${neuronName(shape, l - 1, i)}`)
  switch (c.kind) {
    case 'target':
      return `${c.name}: target ${c.index + 1}${sampleCount > 1 ? ` of sample ${c.sample + 1}` : ''} (given)`
    case 'input':
      return `${c.name}: input ${c.index + 1}${sampleCount > 1 ? ` of sample ${c.sample + 1}` : ''} (given)`
    case 'weight':
    case 'bias':
      return `${c.name} at the start of the epoch: ${c.name} = ${c.name}(previous epoch) − η · ∂E/∂${c.name}(previous epoch); epoch 1 holds the initial value`
    case 'net': {
      const l = c.layer
      const j = c.index - shape.neuronOffset[l]
      const fanIn = shape.layers[l - 1]
      const w0 = shape.weightOffset[l] + j * fanIn
      const terms =
        fanIn <= 4
          ? Array.from({ length: fanIn }, (_, i) => `w${w0 + i + 1}·${sourceName(l, i)}${sfx}`).join(' + ')
          : `Σ w${w0 + 1}…w${w0 + fanIn} · ${l === 1 ? 'inputs' : `layer ${l - 1} outputs`}`
      const bias = config.network.bias === 'none' ? '' : ` + b${c.index + 1}`
      return `${c.name} (net input) = ${terms}${bias}`
    }
    case 'out': {
      const net = c.name.replace(/^out_/, '')
      return `${c.name} = ${ACTIVATION_TEXT[config.network.activations[c.layer - 1]](net)}`
    }
    case 'error':
      return lossText(config.loss, c.index + 1, shape.layers[shape.depth], sfx)
    case 'loss': {
      const K = shape.layers[shape.depth]
      const sum = Array.from({ length: Math.min(K, 4) }, (_, k) => `E${k + 1}`).join(' + ') + (K > 4 ? ' + …' : '')
      return `E_tot = ${sum}${perSample}`
    }
    case 'gradW': {
      const l = c.layer
      const k = c.index - shape.weightOffset[l]
      const fanIn = shape.layers[l - 1]
      const to = neuronName(shape, l, Math.floor(k / fanIn))
      const from = sourceName(l, k % fanIn)
      if (l === shape.depth && config.loss === 'half-sse' && config.network.activations[l - 1] === 'sigmoid' && sampleCount === 1) {
        const n = Math.floor(k / fanIn) + 1
        return `${c.name} = (out_${to} − t${n}) · out_${to} · (1 − out_${to}) · ${from}`
      }
      return `${c.name} = δ_${to} · ${from}${perSample}, δ_${to} = ∂E/∂${to} by the chain rule (see the chain-rule view)`
    }
    case 'gradB': {
      const to = neuronName(shape, c.layer, c.index - shape.neuronOffset[c.layer])
      return `${c.name} = δ_${to}${perSample}, δ_${to} = ∂E/∂${to} by the chain rule`
    }
  }
}
