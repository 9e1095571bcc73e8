import { ref } from 'vue'

/** Whether the shortcut overlay is shown (? and F1, or the Help menu). */
export const helpOpen = ref(false)

/**
 * Every keyboard shortcut of the window, in one list: the help overlay (? or F1) shows it and the
 * buttons' tooltips take their keys from it, so the two never disagree.
 */
export interface Shortcut {
  id: string
  keys: string[]
  does: string
  where: 'Anywhere' | 'Epoch table' | 'Network diagram' | 'Loss chart' | 'Views' | 'Walk through' | 'Desktop menu'
}

export const SHORTCUTS: readonly Shortcut[] = [
  { id: 'train', keys: ['Space'], does: 'Train; while training, pause; when paused, resume', where: 'Anywhere' },
  { id: 'step', keys: ['→'], does: 'One epoch, then pause', where: 'Anywhere' },
  { id: 'step-10', keys: ['Shift+→'], does: 'Ten epochs, then pause', where: 'Anywhere' },
  { id: 'undo', keys: ['Ctrl+Z'], does: 'Undo the last change to the experiment', where: 'Anywhere' },
  { id: 'redo', keys: ['Ctrl+Shift+Z', 'Ctrl+Y'], does: 'Redo it', where: 'Anywhere' },
  { id: 'new', keys: ['Ctrl+N'], does: 'New experiment', where: 'Anywhere' },
  { id: 'open', keys: ['Ctrl+O'], does: 'Open an experiment file', where: 'Anywhere' },
  { id: 'save', keys: ['Ctrl+S'], does: 'Save', where: 'Anywhere' },
  { id: 'save-as', keys: ['Ctrl+Shift+S'], does: 'Save as…', where: 'Anywhere' },
  { id: 'export-xlsx', keys: ['Ctrl+E'], does: 'Export a workbook', where: 'Anywhere' },
  { id: 'export-csv', keys: ['Ctrl+Shift+E'], does: 'Export CSV', where: 'Anywhere' },
  { id: 'help', keys: ['?', 'F1'], does: 'Show these shortcuts (Escape closes)', where: 'Anywhere' },
  { id: 'cell', keys: ['← → ↑ ↓'], does: 'Move between cells and rows', where: 'Epoch table' },
  { id: 'extend', keys: ['Shift+arrows'], does: 'Extend the selection', where: 'Epoch table' },
  { id: 'page', keys: ['Page Up', 'Page Down', 'Home', 'End'], does: 'Move a page, to the first or the last epoch', where: 'Epoch table' },
  { id: 'copy', keys: ['Ctrl+C'], does: 'Copy the selected cells (tab-separated)', where: 'Epoch table' },
  {
    id: 'weight-move',
    keys: ['← → ↑ ↓', 'Home', 'End'],
    does: 'Move between the weights and biases (one Tab stop)',
    where: 'Network diagram',
  },
  { id: 'weight-edit', keys: ['Enter', 'F2'], does: 'Edit the weight (Enter applies, Escape cancels)', where: 'Network diagram' },
  { id: 'weight-select', keys: ['Space'], does: 'Select the weight for the chain rule', where: 'Network diagram' },
  { id: 'chart-zoom', keys: ['+', '−'], does: 'Zoom in or out', where: 'Loss chart' },
  { id: 'chart-pan', keys: ['← →'], does: 'Move along the epochs', where: 'Loss chart' },
  { id: 'chart-reset', keys: ['0'], does: 'Show every epoch again', where: 'Loss chart' },
  { id: 'split', keys: ['← → ↑ ↓'], does: 'Move a split between views (on its handle)', where: 'Views' },
  { id: 'restore', keys: ['Escape'], does: 'Put an enlarged view back', where: 'Views' },
  { id: 'walk-step', keys: ['→ ↓', '← ↑'], does: 'Next or previous step', where: 'Walk through' },
  { id: 'walk-ends', keys: ['Home', 'End'], does: 'First or last step', where: 'Walk through' },
  { id: 'walk-play', keys: ['Space'], does: 'Play or pause (at the pace the slider sets)', where: 'Walk through' },
  { id: 'walk-close', keys: ['Escape'], does: 'Close the walk-through', where: 'Walk through' },
  { id: 'train', keys: ['F5'], does: 'Train', where: 'Desktop menu' },
  { id: 'pause-resume', keys: ['F6'], does: 'Pause or resume', where: 'Desktop menu' },
  { id: 'step', keys: ['F10'], does: 'One epoch', where: 'Desktop menu' },
  { id: 'step-10', keys: ['Shift+F10'], does: 'Ten epochs', where: 'Desktop menu' },
  { id: 'stop', keys: ['Shift+F5'], does: 'Stop the job (the epochs done so far stay)', where: 'Desktop menu' },
  { id: 'reset', keys: ['Ctrl+Shift+R'], does: 'Clear the runs', where: 'Desktop menu' },
]

/** A button's tooltip: what it does and its keys, from the one list. */
export function tip(id: string, does?: string): string {
  const all = SHORTCUTS.filter((x) => x.id === id)
  if (!all.length) return does ?? id
  const keys = all.map((s) => s.keys.join(' or ') + (s.where === 'Desktop menu' ? ' in the desktop app' : ''))
  return `${does ?? all[0].does} (${keys.join('; ')})`
}

/** The keys of one place as a sentence, for a view's tooltip and accessible name (from the one list). */
export function keysOf(where: Shortcut['where']): string {
  return SHORTCUTS.filter((s) => s.where === where)
    .map((s) => `${s.keys.join(' or ')}: ${s.does.charAt(0).toLowerCase()}${s.does.slice(1)}`)
    .join('; ')
}
