// @vitest-environment happy-dom
import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import DataSection from '../../src/renderer/src/components/editor/DataSection.vue'
import { columnsOf, defaultRoles } from '../../src/renderer/src/components/editor/csv-roles'
import { useExperimentStore } from '../../src/renderer/src/stores/experiment'
import { samplesFromCsv } from '../../src/shared/data'
import { LIMITS } from '../../src/shared/limits'
import { csvTable } from '../fixtures/csv'
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
    const table = csvTable(CSV)
    const roles = defaultRoles(table)
    expect(roles).toEqual(['skip', 'input', 'input', 'target'])
    expect(columnsOf(roles)).toEqual({ inputs: [1, 2], targets: [3] })
  })

  it('guesses as inputs only the columns the importer reads as numbers: not 0x10, nor a decimal comma in a comma-delimited file', () => {
    // The guess once had its own number test (Number() reads 0x10; a decimal comma with any delimiter), so the
    // dialog proposed columns that the import then refused.
    const table = csvTable('id,x,y,label\n0x10,"1,5",0.5,1\n0x11,"2,5",2,0\n')
    const roles = defaultRoles(table)
    expect(roles).toEqual(['skip', 'skip', 'input', 'target'])
    expect(samplesFromCsv(table, columnsOf(roles)).ok).toBe(true)
    // What the old guess proposed, the import refuses.
    const refusal = (column: number) => samplesFromCsv(table, { inputs: [column], targets: [3] })
    expect(refusal(0)).toEqual({ ok: false, error: 'row 2, column "id": "0x10" is not a number' })
    expect(refusal(1)).toEqual({ ok: false, error: 'row 2, column "x": "1,5" is not a number' })
  })

  it('offers only the columns the dialog shows: a 1,000-column file defaults to 23 inputs and a target among the first 24', () => {
    const row = Array.from({ length: 1000 }, (_, c) => String(c / 10)).join(',')
    const table = csvTable(`${row}\n${row}\n`)
    const choice = columnsOf(defaultRoles(table, 24))
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

  it('imports as the test samples: only those change, and rows that do not fit the network are refused with the reason', async () => {
    const store = useExperimentStore()
    const training = store.experiment.samples // the sheet: 2 inputs, 2 targets
    const wrapper = await openDialog()
    await chooseFile(new File(['x1,x2,t1,t2\n1,2,0,1\n3,4,1,0\n'], 'held-out.csv'))
    const into = $<HTMLSelectElement>('[data-testid=csv-into]')!
    into.value = 'test'
    into.dispatchEvent(new Event('change'))
    // Defaults: three inputs and one target, which the 2-2-2 network does not take.
    $<HTMLButtonElement>('[data-testid=csv-import-button]')!.click()
    await flushPromises()
    expect($('[data-testid=csv-problem]')!.textContent).toBe(
      'held-out.csv: Test sample 1 has 3 inputs and 1 target; the network takes 2 inputs and 2 targets.'
    )
    expect(store.experiment.test).toEqual([])
    const role2 = $<HTMLSelectElement>('[data-testid=csv-role-2]')!
    role2.value = 'target'
    role2.dispatchEvent(new Event('change'))
    await flushPromises()
    $<HTMLButtonElement>('[data-testid=csv-import-button]')!.click()
    await flushPromises()
    expect(store.experiment.test).toEqual([
      { inputs: [1, 2], targets: [0, 1] },
      { inputs: [3, 4], targets: [1, 0] },
    ])
    expect(store.experiment.samples).toBe(training)
    expect(store.experiment.network.layers).toEqual([2, 2, 2])
    expect(wrapper.find('[data-testid=csv-imported]').text()).toBe('Imported 2 test samples from held-out.csv: 2 inputs, 2 targets.')
    expect(wrapper.find<HTMLInputElement>('[data-testid=test-sample-1-i1]').element.value).toBe('3')
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
