// @vitest-environment happy-dom
import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import DataSection from '../../src/renderer/src/components/editor/DataSection.vue'
import { columnsOf, defaultRoles } from '../../src/renderer/src/components/editor/csv-roles'
import { useExperimentStore } from '../../src/renderer/src/stores/experiment'
import { parseCsv } from '../../src/shared/data'
import { LIMITS } from '../../src/shared/limits'
import { installTestHost } from './in-process-host'

enableAutoUnmount(afterEach)
beforeEach(() => {
  setActivePinia(createPinia())
  installTestHost()
  document.body.innerHTML = ''
})

const CSV = 'name;x1;x2;label\nfirst;0,5;1;0\nsecond;1.5;-2;1\nthird;3;0.25;1\n'

/** The dialog is teleported to the body: its parts are found there. */
const $ = <T extends Element = HTMLElement>(selector: string): T | null => document.body.querySelector<T>(selector)

async function chooseFile(file: File): Promise<void> {
  const input = $<HTMLInputElement>('[data-testid=csv-file]')!
  Object.defineProperty(input, 'files', { value: [file], configurable: true })
  input.dispatchEvent(new Event('change'))
  await flushPromises()
}

async function openDialog() {
  const wrapper = mount(DataSection, { props: { locked: false }, attachTo: document.body })
  await wrapper.find('[data-testid=import-csv]').trigger('click')
  expect($('[data-testid=csv-import]')).not.toBeNull()
  return wrapper
}

describe('CSV column roles', () => {
  it('guesses number columns as inputs and the last one as the target; text columns are skipped', () => {
    const table = parseCsv(CSV)
    if (!table.ok) throw new Error(table.error)
    const roles = defaultRoles(table.value)
    expect(roles).toEqual(['skip', 'input', 'input', 'target'])
    expect(columnsOf(roles)).toEqual({ inputs: [1, 2], targets: [3] })
  })

  it('offers only the columns the dialog shows: a 1,000-column file defaults to 23 inputs and a target among the first 24', () => {
    const row = Array.from({ length: 1000 }, (_, c) => String(c / 10)).join(',')
    const table = parseCsv(`${row}\n${row}\n`)
    if (!table.ok) throw new Error(table.error)
    const choice = columnsOf(defaultRoles(table.value, 24))
    expect(choice.inputs).toEqual(Array.from({ length: 23 }, (_, c) => c))
    expect(choice.targets).toEqual([23])
  })
})

describe('CSV import dialog', () => {
  it('previews the file, takes the chosen columns, and the samples and layer sizes follow', async () => {
    const wrapper = await openDialog()
    await chooseFile(new File([CSV], 'points.csv', { type: 'text/csv' }))
    expect($('[data-testid=csv-preview]')!.querySelectorAll('tbody tr').length).toBe(3)
    expect($('[data-testid=csv-summary]')!.textContent).toBe('3 rows → 3 samples with 2 inputs and 1 target')
    // x2 becomes a second target instead.
    const role2 = $<HTMLSelectElement>('[data-testid=csv-role-2]')!
    role2.value = 'target'
    role2.dispatchEvent(new Event('change'))
    await flushPromises()
    expect($('[data-testid=csv-summary]')!.textContent).toBe('3 rows → 3 samples with 1 input and 2 targets')
    $<HTMLButtonElement>('[data-testid=csv-import-button]')!.click()
    await flushPromises()
    const exp = useExperimentStore().experiment
    expect(exp.samples).toEqual([
      { inputs: [0.5], targets: [1, 0] },
      { inputs: [1.5], targets: [-2, 1] },
      { inputs: [3], targets: [0.25, 1] },
    ])
    expect(exp.network.layers[0]).toBe(1)
    expect(exp.network.layers[exp.network.layers.length - 1]).toBe(2)
    expect(useExperimentStore().trainBlockedReason).toBeNull()
    expect($('[data-testid=csv-import]')).toBeNull()
    expect(document.activeElement?.getAttribute('data-testid')).toBe('import-csv')
    expect(wrapper.find('[data-testid=csv-imported]').text()).toBe('Imported 3 samples from points.csv: 1 input, 2 targets.')
  })

  it('names the row and column of a cell that is not a number, and changes nothing', async () => {
    await openDialog()
    await chooseFile(new File(['a,b\n1,2\n3,oops\n'], 'bad.csv'))
    const before = structuredClone(useExperimentStore().experiment.samples)
    $<HTMLButtonElement>('[data-testid=csv-import-button]')!.click()
    await flushPromises()
    expect($('[data-testid=csv-problem]')!.textContent).toBe('row 3, column "b": "oops" is not a number')
    expect(useExperimentStore().experiment.samples).toEqual(before)
    expect($('[data-testid=csv-import]')).not.toBeNull()
  })

  it('refuses a file over the size limit before reading it, and an empty file with a reason', async () => {
    await openDialog()
    const huge = new File(['x'], 'huge.csv')
    Object.defineProperty(huge, 'size', { value: LIMITS.maxFileBytes + 1 })
    Object.defineProperty(huge, 'text', { value: () => Promise.reject(new Error('must not be read')) })
    await chooseFile(huge)
    expect($('[data-testid=csv-problem]')!.textContent).toMatch(/^huge\.csv: is [\d.]+ MB; CSV files up to 128 MB can be imported$/)
    expect($<HTMLButtonElement>('[data-testid=csv-import-button]')!.disabled).toBe(true)
    await chooseFile(new File(['  \n'], 'empty.csv'))
    expect($('[data-testid=csv-problem]')!.textContent).toBe('empty.csv: is empty')
  })
})
