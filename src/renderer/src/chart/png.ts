/**
 * The loss chart's picture for exports (the xlsx Summary image): the mounted LossChart registers
 * itself here, so an exporter can ask without holding a component ref.
 */
let source: (() => string) | null = null

export function setLossChartPngSource(fn: (() => string) | null): void {
  source = fn
}

/** PNG data URL of the loss chart as shown, or undefined when no chart is on screen. */
export function lossChartPng(): string | undefined {
  const png = source?.()
  return png || undefined
}
