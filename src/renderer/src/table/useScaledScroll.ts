import { computed, onBeforeUnmount, onMounted, ref, watch, type Ref } from 'vue'

/**
 * Vertical virtual scrolling over any number of rows. Browsers cap an element's height (~16.7M px
 * in some), so past MAX_SCROLL_PX the scrollbar is scaled and the wheel moves whole rows; `first`
 * is the top row shown. The element's size is followed with a ResizeObserver.
 */
export const MAX_SCROLL_PX = 8_000_000

export function useScaledScroll(scroller: Ref<HTMLElement | null>, rowCount: Ref<number>, rowH: number, headerH: number) {
  const viewW = ref(800)
  const viewH = ref(400)
  const first = ref(0)
  const scrollLeft = ref(0)

  const bodyRows = computed(() => Math.max(1, Math.floor((viewH.value - headerH) / rowH)))
  const maxFirst = computed(() => Math.max(0, rowCount.value - bodyRows.value))
  const scrollRange = computed(() => Math.min(maxFirst.value * rowH, MAX_SCROLL_PX))

  /** The scroller's scrollTop as last set or seen: writing an unchanged value would still force a layout. */
  let knownTop = 0

  function setFirst(row: number): void {
    const target = Math.max(0, Math.min(maxFirst.value, Math.round(row)))
    first.value = target
    const el = scroller.value
    const top = maxFirst.value ? (target / maxFirst.value) * scrollRange.value : 0
    if (el && top !== knownTop) {
      el.scrollTop = top
      knownTop = top
    }
  }

  function onScroll(): void {
    const el = scroller.value
    if (!el) return
    knownTop = el.scrollTop
    scrollLeft.value = el.scrollLeft
    const range = scrollRange.value
    const fromScroll = range ? Math.round((Math.min(el.scrollTop, range) / range) * maxFirst.value) : 0
    // setFirst's own scroll comes back here; keep its exact row rather than a rounded one.
    const expectedTop = maxFirst.value ? (first.value / maxFirst.value) * range : 0
    if (Math.abs(el.scrollTop - expectedTop) >= 1) first.value = fromScroll
  }

  function setScrollLeft(x: number): void {
    const el = scroller.value
    if (!el) return
    el.scrollLeft = Math.max(0, x)
    scrollLeft.value = el.scrollLeft
  }

  let wheelRest = 0
  function onWheel(e: WheelEvent): void {
    e.preventDefault()
    const unit = e.deltaMode === 1 ? rowH : e.deltaMode === 2 ? viewH.value : 1
    let dy = e.deltaY * unit
    let dx = e.deltaX * unit
    if (e.shiftKey && dx === 0) [dx, dy] = [dy, 0]
    if (dx && scroller.value) setScrollLeft(scroller.value.scrollLeft + dx)
    if (dy) {
      wheelRest += dy / rowH
      const rows = Math.trunc(wheelRest)
      wheelRest -= rows
      if (rows) setFirst(first.value + rows)
    }
  }

  /** Scrolls so `row` is visible (a third of the way down when it was far away). */
  function reveal(row: number): void {
    if (row < first.value || row >= first.value + bodyRows.value) setFirst(row - Math.floor(bodyRows.value / 3))
  }

  watch(maxFirst, () => {
    if (first.value > maxFirst.value) setFirst(maxFirst.value)
  })

  let resizeObserver: ResizeObserver | null = null
  function measure(): void {
    const el = scroller.value
    if (!el) return
    viewW.value = el.clientWidth || 800
    viewH.value = el.clientHeight || 400
  }
  onMounted(() => {
    measure()
    if (typeof ResizeObserver !== 'undefined' && scroller.value) {
      resizeObserver = new ResizeObserver(measure)
      resizeObserver.observe(scroller.value)
    }
  })
  onBeforeUnmount(() => resizeObserver?.disconnect())

  return { viewW, viewH, first, scrollLeft, bodyRows, maxFirst, scrollRange, setFirst, setScrollLeft, onScroll, onWheel, reveal }
}
