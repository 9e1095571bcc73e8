import tseslint from '@electron-toolkit/eslint-config-ts'
import eslintPluginVue from 'eslint-plugin-vue'
import layers from './eslint-rules/layers.mjs'

/** DOM names src/shared must not use: it runs in Node (workers, the CLI, main) as well as in the page. */
const DOM_GLOBALS = ['window', 'document', 'navigator', 'location', 'history', 'localStorage', 'sessionStorage', 'requestAnimationFrame', 'cancelAnimationFrame', 'getComputedStyle', 'matchMedia', 'HTMLElement', 'Element', 'Node', 'Event', 'CustomEvent', 'alert', 'confirm', 'prompt', 'self']

export default tseslint.config(
  { ignores: ['**/node_modules', '**/out', '**/dist', 'tests/e2e/artifacts', 'coverage'] },
  tseslint.configs.recommended,
  eslintPluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    files: ['**/*.{ts,mts,tsx,vue}', 'eslint-rules/*.mjs'],
    rules: {
      '@typescript-eslint/explicit-function-return-type': 'off',
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
    },
  },
  {
    // One typed IPC helper on each side (src/shared/ipc.ts is the contract): nothing else touches ipcMain/ipcRenderer.
    files: ['src/**/*.ts'],
    ignores: ['src/main/ipc/handle.ts', 'src/preload/index.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', importNames: ['ipcMain', 'ipcRenderer'], message: 'Use src/main/ipc/handle.ts or the preload api (contract: src/shared/ipc.ts).' }] },
      ],
    },
  },
  {
    // The layers of src/ (eslint-rules/layers.mjs): shared imports no Node, electron or UI library and
    // no other layer; the renderer never imports main; main never imports the renderer.
    files: ['src/**/*.{ts,mts,tsx,vue}'],
    plugins: { layers },
    rules: { 'layers/imports': 'error' },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', ...DOM_GLOBALS.map((name) => ({ name, message: 'src/shared runs in Node as well as in the page: no DOM API.' }))],
    },
  }
)
