/** Size of the weight editor's box, in pixels (WeightEditor.vue: 15em wide at 13 px, two lines). */
const EDITOR = { width: 200, height: 90 }

/**
 * Where the in-place weight editor opens: under the point (x, y) of the SVG (a weight's label, a
 * bias), centred on it, above it when there is no room below, always inside the stage that
 * positions it. The point goes through the SVG's screen matrix, so the editor keeps the page's
 * own size however the picture is scaled.
 */
export function editorPlace(svg: SVGSVGElement | null, stage: HTMLElement | null, x: number, y: number): { left: number; top: number } {
  const m = svg?.getScreenCTM?.()
  const box = stage?.getBoundingClientRect()
  if (!m || !box || !stage) return { left: 0, top: 0 }
  const left = m.a * x + m.e - box.left
  const top = m.d * y + m.f - box.top
  return {
    left: Math.max(0, Math.min(left - EDITOR.width / 2, stage.clientWidth - EDITOR.width)),
    top: top + 12 + EDITOR.height > stage.clientHeight ? Math.max(0, top - EDITOR.height) : top + 12,
  }
}
