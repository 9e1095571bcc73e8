/** Charts rendered for a HiDPI screen are shown no wider than this in the workbook. */
const MAX_WIDTH_PX = 900

/** Width and height of a PNG from its IHDR chunk. */
function pngSize(png: Uint8Array): { width: number; height: number } {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
  if (png.length < 24 || signature.some((b, i) => png[i] !== b)) throw new Error('The chart image is not a PNG')
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength)
  return { width: view.getUint32(16), height: view.getUint32(20) }
}

/** The loss chart's size on the Summary sheet, in pixels: the PNG's own, scaled down to MAX_WIDTH_PX. */
export function chartDisplaySize(png: Uint8Array): { width: number; height: number } {
  const { width, height } = pngSize(png)
  const scale = Math.min(1, MAX_WIDTH_PX / width)
  return { width: Math.round(width * scale), height: Math.round(height * scale) }
}
