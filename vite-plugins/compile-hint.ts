/**
 * V8's explicit compile hint: a script whose first line is this comment has all its functions
 * compiled when it loads (off the main thread while it streams), not at their first call.
 */
export const COMPILE_HINT = '//# allFunctionsCalledOnLoad'

/**
 * A Vite plugin that puts the compile hint at the top of the
 * renderer's entry chunk. Without it the first click on Train and the first frames with data
 * compiled the code they ran for the first time (Vue's patching, the table, the chain rule,
 * Chart.js's updates) on the main thread: in Chromium on this project's 2-core machines about 4
 * bench:ui runs in 10 had a task over 50 ms, almost all in the first 0.3 s; with it, 1 in 14.
 * Lazily loaded chunks (the xlsx writer) keep lazy compilation.
 */
export function compileHintPlugin(): {
  name: string
  apply: 'build'
  generateBundle: {
    order: 'post'
    handler(options: unknown, bundle: Record<string, { type: string; isEntry?: boolean; code?: string; map?: { mappings: string } | null }>): void
  }
} {
  return {
    name: 'backprop-lab:compile-hint',
    apply: 'build',
    // After minification, which would drop the comment, and last: once lazy chunks share code, Vite
    // puts its preload map (`const __vite__mapDeps=…`) at the top of the entry in this same hook.
    generateBundle: {
      order: 'post',
      handler(_options, bundle) {
        for (const chunk of Object.values(bundle)) {
          if (chunk.type !== 'chunk' || !chunk.isEntry || chunk.code === undefined || chunk.code.startsWith(COMPILE_HINT)) continue
          chunk.code = `${COMPILE_HINT}\n${chunk.code}`
          // One line more at the top: a source map's lines move down by one.
          if (chunk.map) chunk.map.mappings = `;${chunk.map.mappings}`
        }
      },
    },
  }
}
