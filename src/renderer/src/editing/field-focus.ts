/**
 * Brings the editor's field for a problem's path (`training.epochs`, `samples[0].targets[1]`)
 * into view and focuses it. Fields carry their path in data-field; a list field (the learning
 * rates) stands for each of its items.
 */
export function focusField(path: string): boolean {
  const fields = [...document.querySelectorAll<HTMLElement>('[data-field]')]
  const field =
    fields.find((f) => f.dataset.field === path) ??
    fields
      .filter((f) => path.startsWith(f.dataset.field + '[') || path.startsWith(f.dataset.field + '.'))
      .sort((a, b) => b.dataset.field!.length - a.dataset.field!.length)[0]
  if (!field) return false
  // A folded editor section (a closed <details>) is opened first: its fields cannot take the focus.
  const section = field.closest('details')
  if (section && !section.open) section.open = true
  field.scrollIntoView({ block: 'center' })
  field.focus({ preventScroll: true })
  return true
}
