import { ACTIVATIONS, drawParameters, seededRandom, sheetTraining, type Activation, type BiasMode, type Loss, type RunConfig } from '../../src/shared/engine'

/** Every valid combination: hidden activations, and the output activations each loss allows. */
/** Every activation applied neuron by neuron: all but softmax, from the one registry (a new one is tested at once). */
export const hiddenActivations: Activation[] = ACTIVATIONS.filter((a) => a !== 'softmax')
export const outputsFor: Record<Loss, Activation[]> = {
  'half-sse': [...ACTIVATIONS],
  mse: [...ACTIVATIONS],
  bce: ['sigmoid'],
  'softmax-ce': ['softmax'],
}
export const biasModes: BiasMode[] = ['none', 'trained', 'fixed']

/** A small random network with 1–3 samples, drawn from `seed` (deterministic). */
export function randomConfig(seed: number, hiddenAct: Activation, outAct: Activation, loss: Loss, bias: BiasMode, maxHidden = 5): RunConfig {
  const random = seededRandom(seed)
  const int = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1))
  const layers = [int(1, 4), ...Array.from({ length: int(1, 3) }, () => int(1, maxHidden)), int(2, 4)]
  const activations = layers.slice(1).map((_, l, a) => (l === a.length - 1 ? outAct : hiddenAct))
  const network = { layers, activations, bias }
  const { weights } = drawParameters(network, { seed, scheme: 'uniform', range: 1 })
  const biases = bias === 'none' ? [] : drawParameters(network, { seed: seed + 1, scheme: 'uniform', range: 0.5 }).biases
  const samples = Array.from({ length: int(1, 3) }, () => {
    const targets = Array.from({ length: layers[layers.length - 1] }, () => random())
    if (loss === 'softmax-ce') {
      const sum = targets.reduce((a, b) => a + b, 0)
      targets.forEach((t, i) => (targets[i] = t / sum))
    }
    return { inputs: Array.from({ length: layers[0] }, () => 2 * random() - 1), targets }
  })
  return { network, loss, samples, weights, biases, learningRate: 0.1, ...sheetTraining(), epochs: 1, stopBelow: 0 }
}
