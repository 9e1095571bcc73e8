import { computed, ref, toRaw, watch, type Ref } from 'vue'

/**
 * Undo and redo over every change of a deep reactive value (the experiment): each change the
 * watcher sees (one per tick, so one action's several mutations are one step) is a step. A state
 * is kept as text in which NaN and ±Infinity survive (a field being typed holds NaN), except the
 * parts kept by reference (`shared`, the training and the test samples): at the format's limits
 * each is 10,240,000 numbers (~60 MB of text), and writing it out on every edit froze the window
 * and filled the budget in one step. Their owner never changes them in place (stores/experiment.ts:
 * an edit replaces the list and the one sample it touches), so the steps share every unchanged
 * sample, and a step costs what the edit changed.
 */
const LIMIT = 200
/** Bytes kept for undo at most (text as UTF-16, the shared parts as `sharedBytes` counts them). */
const BUDGET_BYTES = 40_000_000

const write = (x: unknown): string =>
  JSON.stringify(x, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? `\u0000${String(v)}` : v))
const read = <T>(text: string): T =>
  JSON.parse(text, (_k, v: unknown) => (typeof v === 'string' && v.startsWith('\u0000') ? Number(v.slice(1)) : v)) as T

interface State {
  text: string
  /** The shared parts, by reference, in the order of `shared`. */
  kept: unknown[]
  /** What keeping this step costs beyond the state that replaced it (set when it is kept). */
  bytes: number
}

/** Bytes of a value (8 a number or pointer, 2 a character), found by walking it: what a step adds to the history. */
function valueBytes(x: unknown): number {
  if (typeof x === 'string') return 2 * x.length
  if (typeof x !== 'object' || x === null) return 8
  let n = 0
  if (Array.isArray(x)) for (const v of x) n += typeof v === 'number' ? 8 : 8 + valueBytes(v)
  else for (const v of Object.values(x)) n += 8 + valueBytes(v)
  return n
}

/**
 * Bytes a list holds beside the list that replaced it: a pointer per item, and the items that are
 * not in the other list (the one sample an edit replaced; every sample before a paste), wherever
 * they stand in it (a removed sample moves every later one).
 */
function sharedBytes(list: unknown, other: unknown): number {
  if (!Array.isArray(list)) return valueBytes(list)
  const theirs = new Set<unknown>(Array.isArray(other) ? other : [])
  let n = 8 * list.length
  for (const item of list) if (!theirs.has(item)) n += valueBytes(item)
  return n
}

/**
 * `group` names the edit a change belongs to: a change in the same group as the one before is
 * folded into it (null: always a step of its own). `shared`: the keys of the parts kept by
 * reference (never changed in place by the value's owner, only replaced).
 */
export function useHistory<T extends object>(
  value: Ref<T>,
  restore: (state: T) => void,
  group: () => string | null = () => null,
  shared: readonly (keyof T)[] = []
) {
  const past: State[] = []
  const future: State[] = []
  const size = ref({ past: 0, future: 0, bytes: 0 })

  // A shared part's place is kept in the text (a 0), so that a restored value has its keys in order.
  const stateOf = (x: T): State => {
    const raw = toRaw(x)
    return { text: write({ ...raw, ...Object.fromEntries(shared.map((k) => [k, 0])) }), kept: shared.map((k) => raw[k]), bytes: 0 }
  }
  /** Keeps `state` in `list`, costed by what it holds that `next` (the state replacing it) does not. */
  const keep = (list: State[], state: State, next: State): void => {
    state.bytes = 2 * state.text.length + state.kept.reduce<number>((n, part, i) => n + sharedBytes(part, next.kept[i]), 0)
    list.push(state)
  }
  const same = (a: State, b: State): boolean => a.text === b.text && a.kept.every((part, i) => part === b.kept[i])
  const valueOf = (s: State): T => {
    const v = read<T>(s.text)
    shared.forEach((k, i) => (v[k] = s.kept[i] as T[keyof T]))
    return v
  }

  let current = stateOf(value.value)
  /** The next change is a restore or a load, not an edit. */
  let quiet = false
  let lastGroup: string | null = null

  const total = (): number => past.reduce((n, s) => n + s.bytes, 0) + future.reduce((n, s) => n + s.bytes, 0)
  const count = (): void => {
    size.value = { past: past.length, future: future.length, bytes: total() }
  }
  /** Oldest steps go first when the history outgrows its budget (the last step always stays). */
  const trim = (): void => {
    let bytes = total()
    while (past.length > 1 && (past.length > LIMIT || bytes > BUDGET_BYTES)) bytes -= past.shift()!.bytes
  }

  watch(
    value,
    () => {
      const now = stateOf(value.value)
      if (same(now, current)) return
      const g = quiet ? null : group()
      if (!quiet && (g === null || g !== lastGroup)) {
        keep(past, current, now)
        trim()
      }
      if (!quiet) future.length = 0
      lastGroup = g
      quiet = false
      current = now
      count()
    },
    { deep: true }
  )

  function go(from: State[], to: State[]): void {
    const state = from.pop()
    if (state === undefined) return
    keep(to, current, state)
    count()
    quiet = !same(state, current)
    restore(valueOf(state))
  }

  /** A new document: no history before it. */
  function load(state: T): void {
    past.length = 0
    future.length = 0
    count()
    quiet = !same(stateOf(state), current)
    restore(state)
  }

  return {
    undo: () => go(past, future),
    redo: () => go(future, past),
    load,
    canUndo: computed(() => size.value.past > 0),
    canRedo: computed(() => size.value.future > 0),
    /** Steps that can be undone and redone, and the bytes they keep (`sharedBytes` for the shared parts). */
    size: computed(() => size.value),
  }
}
