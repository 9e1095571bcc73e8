/**
 * Hands a file to the browser's downloads: the web edition's saves and exports, and the chart's
 * PNG in both editions (in the desktop app, Electron then asks where to save it).
 */
export function downloadUrl(url: string, name: string): void {
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.style.display = 'none'
  document.body.append(a)
  a.click()
  a.remove()
}

/** The same for bytes in memory; the object URL is let go once the download has had time to start. */
export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob)
  downloadUrl(url, name)
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
