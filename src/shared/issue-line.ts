import type * as v from 'valibot'

/**
 * The one way a valibot issue becomes a `field: problem` line (the experiment parser, the file
 * parser, the editor's per-field problems all use it, so one input gets one message everywhere).
 */
export interface FieldProblem {
  /** `network.layers[1]`, `init.scheme`; `file` for the whole input. */
  field: string
  problem: string
}

type Issue = v.BaseIssue<unknown>

/** `a.b[2].c` from an issue path. */
export function pathText(items: readonly { key: unknown }[] = []): string {
  let path = ''
  for (const { key } of items) path += typeof key === 'number' ? `[${key}]` : path ? `.${String(key)}` : String(key)
  return path
}

/**
 * For a union, the most useful issue is the deepest one of the branch that got furthest. Between
 * equally deep ones, a field that is there but wrong beats one that is missing: { "seed": 1,
 * "scheme": "zeros" } is a bad scheme, not missing weights. A branch's issue paths start inside
 * the union, so they are appended to the union's own path.
 */
function deepest(issue: Issue, path: { key: unknown }[]): { issue: Issue; path: { key: unknown }[] } {
  const here = [...path, ...((issue.path ?? []) as { key: unknown }[])]
  if (!issue.issues?.length) return { issue, path: here }
  const depth = (i: Issue): number => (i.path?.length ?? 0) + (i.input === undefined ? 0 : 0.5)
  return deepest(
    issue.issues.reduce((a, b) => (depth(b) > depth(a) ? b : a)),
    here
  )
}

/** Valibot's generic messages in the words the app's own messages use. */
function plainer(issue: Issue): string {
  if (issue.input === undefined) return 'is missing'
  const typed = /^Invalid type: Expected (Object|Array) but received (.*)$/.exec(issue.message)
  if (typed) return `must be ${typed[1] === 'Object' ? 'an object' : 'a list'} (got ${typed[2]})`
  return issue.message
}

export function fieldProblem(issue: Issue): FieldProblem {
  const found = deepest(issue, [])
  return { field: pathText(found.path) || 'file', problem: plainer(found.issue) }
}

/** `field: problem`. */
export function issueLine(issue: Issue): string {
  const { field, problem } = fieldProblem(issue)
  return `${field}: ${problem}`
}

/** A piece of the user's text as a message quotes it: in JSON's quotes and escapes, at most 40 characters. */
export function quoted(text: string): string {
  return JSON.stringify(text.length > 40 ? text.slice(0, 40) + '…' : text)
}
