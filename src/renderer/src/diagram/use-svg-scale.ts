import { onBeforeUnmount, ref, watch, type Ref } from 'vue'

/**
 * Screen pixels per user unit of an SVG drawn with preserveAspectRatio "meet": the smaller of its
 * two ratios, followed as the element is resized (1 until it is measured, and where there is no
 * layout, as in a test DOM).
 */
export function useSvgScale(svg: Ref<SVGSVGElement | null>, size: Ref<{ width: number; height: number } | null>): Ref<number> {
  const scale = ref(1)
  function measure(): void {
    const el = svg.value
    const s = size.value
    if (!el || !s || !el.clientWidth || !el.clientHeight) return
    scale.value = Math.min(el.clientWidth / s.width, el.clientHeight / s.height)
  }
  const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(measure)
  watch(svg, (el, old) => {
    if (old) observer?.unobserve(old)
    if (el) observer?.observe(el)
    measure()
  })
  watch(size, measure)
  onBeforeUnmount(() => observer?.disconnect())
  return scale
}
