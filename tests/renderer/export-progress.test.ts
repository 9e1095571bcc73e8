// @vitest-environment happy-dom
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import ExportProgress from '../../src/renderer/src/components/export/ExportProgress.vue'
import { useExportStore } from '../../src/renderer/src/stores/export'
import { documentFromRuns, serializeDocument } from '../../src/shared/document'
import { defaultExperiment } from '../../src/shared/experiment'
import { installTestHost, until } from './in-process-host'

/**
 * The window's export bar on the web edition's real host and writers: progress while the runs are
 * trained and written, and Cancel, which ends the export with nothing saved.
 */
let downloads: ReturnType<typeof vi.spyOn>
beforeEach(() => {
  setActivePinia(createPinia())
  installTestHost()
  // The web edition saves by a download link to the file's Blob (no file picker in happy-dom).
  downloads = vi.spyOn(URL, 'createObjectURL')
})
afterEach(() => vi.restoreAllMocks())

const request = (epochs: number) => {
  const e = defaultExperiment()
  e.training.epochs = epochs
  return { documentText: serializeDocument(documentFromRuns(e, [])), suggestedName: 'run' }
}

describe('the export bar', () => {
  for (const kind of ['xlsx', 'csv'] as const)
    it(`${kind}: shows progress and Cancel ends the export with nothing saved`, async () => {
      const wrapper = mount(ExportProgress)
      const store = useExportStore()
      const seen: number[] = []
      const done = store.run(kind, request(2_000_000))
      await until(() => wrapper.find('[data-testid="export-progress"]').exists())
      seen.push(store.fraction!)
      expect(wrapper.text()).toMatch(kind === 'xlsx' ? /Exporting the workbook/ : /Exporting CSV/)
      await wrapper.get('[data-testid="export-cancel"]').trigger('click')
      expect(await done).toBeNull()
      await wrapper.vm.$nextTick()
      expect(wrapper.find('[data-testid="export-progress"]').exists()).toBe(false)
      expect(seen[0]).toBeLessThan(1)
      expect(downloads).not.toHaveBeenCalled()
    })

  it('follows an export to its end', async () => {
    const wrapper = mount(ExportProgress)
    const store = useExportStore()
    expect(await store.run('csv', request(70))).toEqual({ name: 'run.csv', path: null })
    expect(downloads).toHaveBeenCalledOnce()
    expect(store.running).toBe(false)
    expect(wrapper.find('[data-testid="export-progress"]').exists()).toBe(false)
  })
})
