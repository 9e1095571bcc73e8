export * from './colors'
export * from './loss-series'
export * from './zoom'
export * from './png'
