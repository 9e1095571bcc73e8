import { useExperimentStore } from '../../stores/experiment'

/** The editor's view of the experiment's problems: one field's, or a list field's joined. */
export function useProblems(): {
  problem: (path: string) => string | null
  problemsUnder: (path: string, label: (i: number) => string) => string | null
} {
  const store = useExperimentStore()
  const problem = (path: string): string | null => store.problems[path] ?? null
  /** Problems at `path` and below it, joined (for a field that edits a list). */
  const problemsUnder = (path: string, label: (i: number) => string): string | null => {
    const found = Object.entries(store.problems)
      .filter(([p]) => p === path || p.startsWith(path + '['))
      .map(([p, m]) => {
        const i = /\[(\d+)\]$/.exec(p)
        return i && p !== path ? `${label(Number(i[1]))}: ${m}` : m
      })
    return found.length ? found.join('; ') : null
  }
  return { problem, problemsUnder }
}
