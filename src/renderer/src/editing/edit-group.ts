/**
 * Which edit a change of the experiment belongs to, for undo: typing into one field, from focus
 * to blur, is one edit (undone at once, as a spreadsheet does), not one per keystroke. Fields
 * name their experiment path in data-field; anything else (buttons, selects, the diagram) is
 * its own edit each time (null).
 */
let focusCount = 0
if (typeof document !== 'undefined') document.addEventListener('focusin', () => focusCount++)

export function editGroup(): string | null {
  if (typeof document === 'undefined') return null
  const el = document.activeElement as HTMLElement | null
  return el?.tagName === 'INPUT' && el.dataset.field ? `${el.dataset.field}#${focusCount}` : null
}
