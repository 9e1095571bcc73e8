/**
 * Decision-boundary benchmark: one redraw of the window's heatmap, a 100 × 100 grid of the input
 * plane through a 2-8-8-1 tanh net (every neuron's value at every cell, as the diagram's neuron
 * thumbnails need them too), then coloured into RGBA pixels. Issue 15 asks for ≤ 8 ms, so the map
 * can follow every frame. Not a test: it prints figures. `npm run bench:boundary`.
 */
import { BoundaryGrid, planeOf } from '../src/shared/engine/boundary'
import { drawParameters } from '../src/shared/engine/random'
import type { NetworkSpec } from '../src/shared/engine/types'
import { paint, rangeOf } from '../src/shared/boundary-colors'

const network: NetworkSpec = { layers: [2, 8, 8, 1], activations: ['tanh', 'tanh', 'tanh'], bias: 'trained' }
const SIZE = 100
const plane = planeOf([
  { inputs: [-6, -6], targets: [0] },
  { inputs: [6, 6], targets: [1] },
])

function measure(label: string, grid: BoundaryGrid): void {
  const pixels = new Uint8ClampedArray(grid.cells * 4)
  // New parameters every redraw, as while training (the JIT cannot fold them).
  const params = Array.from({ length: 16 }, (_, seed) => drawParameters(network, { seed, scheme: 'uniform', range: 1 }))
  const redraw = (k: number): void => {
    const { weights, biases } = params[k % params.length]
    grid.evaluate(weights, biases)
    const output = grid.neuron(grid.shape.neuronCount - 1)
    paint(output, rangeOf(output, 'tanh'), pixels)
  }
  for (let k = 0; k < 50; k++) redraw(k) // warm up
  const times: number[] = []
  for (let k = 0; k < 200; k++) {
    const t0 = performance.now()
    redraw(k)
    times.push(performance.now() - t0)
  }
  times.sort((a, b) => a - b)
  const at = (q: number): string => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(2)
  console.log(`  ${label}: best ${at(0)} ms, median ${at(0.5)} ms, p90 ${at(0.9)} ms, worst ${at(1)} ms per redraw (target ≤ 8 ms)`)
}

console.log(`Decision boundary, ${SIZE} × ${SIZE} grid, 2-8-8-1 tanh (all 17 neurons, then the output coloured):`)
measure('x1, x2 (features cost nothing per redraw: the grid applies them once)', new BoundaryGrid(network, plane, SIZE))
