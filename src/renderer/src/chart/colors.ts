/** The seed chart's colours (a spreadsheet's default series palette), then more in the same spirit. */
export const SERIES_COLORS = [
  '#4285f4',
  '#db4437',
  '#f4b400',
  '#0f9d58',
  '#ff6d01',
  '#46bdc6',
  '#7baaf7',
  '#f07b72',
  '#fcd04f',
  '#71c287',
  '#ff994d',
  '#7ed1d7',
]

export function seriesColor(i: number): string {
  return SERIES_COLORS[i % SERIES_COLORS.length]
}
