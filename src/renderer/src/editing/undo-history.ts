import { computed, ref, watch, type Ref } from 'vue'

/**
 * Undo and redo over every change of a deep reactive value (the experiment): each change the
 * watcher sees (one per tick, so one action's several mutations are one step) is a step. States
 * are kept as text in which NaN and ±Infinity survive (a field being typed holds NaN).
 */
const LIMIT = 200
/** Text kept for undo at most (UTF-16: twice this in bytes); an experiment at the format's limits is tens of MB. */
const BUDGET_CHARS = 20_000_000

const write = (x: unknown): string =>
  JSON.stringify(x, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? `\u0000${String(v)}` : v))
const read = <T>(text: string): T =>
  JSON.parse(text, (_k, v: unknown) => (typeof v === 'string' && v.startsWith('\u0000') ? Number(v.slice(1)) : v)) as T

/**
 * `group` names the edit a change belongs to: a change in the same group as the one before is
 * folded into it (null: always a step of its own).
 */
export function useHistory<T>(value: Ref<T>, restore: (state: T) => void, group: () => string | null = () => null) {
  const past: string[] = []
  const future: string[] = []
  const size = ref({ past: 0, future: 0 })
  let current = write(value.value)
  /** The next change is a restore or a load, not an edit. */
  let quiet = false
  let lastGroup: string | null = null

  const count = (): void => {
    size.value = { past: past.length, future: future.length }
  }
  /** Oldest steps go first when the history outgrows its budget (the last step always stays). */
  const trim = (): void => {
    let chars = past.reduce((n, s) => n + s.length, 0) + future.reduce((n, s) => n + s.length, 0)
    while (past.length > 1 && (past.length > LIMIT || chars > BUDGET_CHARS)) chars -= past.shift()!.length
  }

  watch(
    value,
    () => {
      const now = write(value.value)
      if (now === current) return
      const g = quiet ? null : group()
      if (!quiet && (g === null || g !== lastGroup)) {
        past.push(current)
        trim()
      }
      if (!quiet) future.length = 0
      count()
      lastGroup = g
      quiet = false
      current = now
    },
    { deep: true }
  )

  function go(from: string[], to: string[]): void {
    const state = from.pop()
    if (state === undefined) return
    to.push(current)
    count()
    quiet = state !== current
    restore(read<T>(state))
  }

  /** A new document: no history before it. */
  function load(state: T): void {
    past.length = 0
    future.length = 0
    count()
    quiet = write(state) !== current
    restore(state)
  }

  return {
    undo: () => go(past, future),
    redo: () => go(future, past),
    load,
    canUndo: computed(() => size.value.past > 0),
    canRedo: computed(() => size.value.future > 0),
  }
}
