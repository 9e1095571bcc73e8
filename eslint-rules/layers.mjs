import { builtinModules } from 'node:module'
import { dirname, relative, resolve, sep } from 'node:path'

/**
 * The layering of src/, checked on every import (static, dynamic, re-export), as VS Code's
 * code-layering rule does: what a folder may not import, by where the import resolves to.
 *
 * - src/shared (engine, file format, IPC contract: compiled for Node and for the page alike)
 *   imports no node:* or Node builtin, no electron, no vue or pinia, and nothing of the other layers;
 * - the renderer never imports src/main, and src/main never imports the renderer.
 * (DOM globals in src/shared are refused by no-restricted-globals beside this rule, in eslint.config.mjs.)
 */
const NODE = new Set(builtinModules)
const isNode = (name) => name.startsWith('node:') || NODE.has(name.split('/')[0])
const UI = ['vue', 'pinia', '@vue/', 'chart.js']

/** Folder (from the project root) → what its files must not import. */
export const LAYERS = {
  'src/shared': {
    folders: ['src/main', 'src/renderer', 'src/preload', 'src/cli'],
    modules: (name) =>
      isNode(name) ? 'a Node module' : name === 'electron' ? 'electron' : UI.some((m) => name === m || name.startsWith(m)) ? 'a UI library' : null,
    why: 'src/shared runs in Node and in the page alike',
  },
  'src/renderer': { folders: ['src/main'], modules: () => null, why: 'the renderer reaches the main process only through the preload api' },
  'src/main': { folders: ['src/renderer'], modules: () => null, why: 'the main process never runs page code' },
}

/** Import aliases (electron.vite.config.ts, tsconfig.web.json). */
const ALIASES = { '@shared/': 'src/shared/', '@renderer/': 'src/renderer/src/' }

const inside = (path, folder) => path === folder || path.startsWith(folder + '/')

export default {
  rules: {
    imports: {
      meta: { type: 'problem', schema: [], messages: { layer: '{{file}} must not import {{what}}: {{why}}.' } },
      create(context) {
        const root = context.cwd
        const file = relative(root, context.filename).split(sep).join('/')
        const layer = Object.entries(LAYERS).find(([folder]) => inside(file, folder))
        if (!layer) return {}
        const [, rule] = layer
        const check = (node, source) => {
          if (!source || typeof source.value !== 'string') return
          const name = source.value
          let what = null
          const alias = Object.keys(ALIASES).find((a) => name.startsWith(a))
          const target = name.startsWith('.')
            ? relative(root, resolve(dirname(context.filename), name)).split(sep).join('/')
            : alias
              ? ALIASES[alias] + name.slice(alias.length)
              : null
          if (target) what = rule.folders.find((f) => inside(target, f)) ?? null
          else what = rule.modules(name)
          if (what) context.report({ node, messageId: 'layer', data: { file, what: `${what} (${name})`, why: rule.why } })
        }
        return {
          ImportDeclaration: (node) => check(node, node.source),
          ExportNamedDeclaration: (node) => check(node, node.source),
          ExportAllDeclaration: (node) => check(node, node.source),
          ImportExpression: (node) => check(node, node.source),
        }
      },
    },
  },
}
