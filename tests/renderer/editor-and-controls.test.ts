// @vitest-environment happy-dom
import { enableAutoUnmount, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import ExperimentEditor from '../../src/renderer/src/components/ExperimentEditor.vue'
import EditorSection from '../../src/renderer/src/components/editor/EditorSection.vue'
import RunControls from '../../src/renderer/src/components/RunControls.vue'
import HelpOverlay from '../../src/renderer/src/components/HelpOverlay.vue'
import { SHORTCUTS, helpOpen, keysOf, tip } from '../../src/renderer/src/keyboard/shortcuts'
import { useDocumentStore } from '../../src/renderer/src/stores/document'
import { useExperimentStore } from '../../src/renderer/src/stores/experiment'
import { parseDocumentText } from '../../src/shared/document'
import { setFrameScheduler, useTrainingStore } from '../../src/renderer/src/stores/training'
import { fixture } from '../fixtures/read'
import { installTestHost, until } from './in-process-host'

const Both = defineComponent({ render: () => h('div', [h(RunControls), h(ExperimentEditor)]) })

// A component left mounted would keep its window key listener (bound to an older store) into the next test.
enableAutoUnmount(afterEach)

beforeEach(() => {
  setActivePinia(createPinia())
  setFrameScheduler((fn) => setTimeout(fn, 0))
  installTestHost()
})

describe('ExperimentEditor and RunControls', () => {
  it('flags an invalid field with its reason and disables Train with it', async () => {
    const wrapper = mount(Both, { attachTo: document.body })
    const train = wrapper.find('[data-testid=train]')
    expect(train.attributes('disabled')).toBeUndefined()
    await wrapper.find('[data-testid=epochs]').setValue('seventy')
    expect(useExperimentStore().experiment.training.epochs).toBeNaN()
    expect(wrapper.find('label:has([data-testid=epochs]) .problem').text()).toBe('enter a number')
    expect(wrapper.find('[data-testid=epochs]').attributes('aria-invalid')).toBe('true')
    expect(train.attributes('disabled')).toBeDefined()
    expect(wrapper.find('[data-testid=blocked-reason]').text()).toBe('Cannot train: epochs: enter a number')
    await wrapper.find('[data-testid=epochs]').setValue('70')
    expect(train.attributes('disabled')).toBeUndefined()
    expect(wrapper.find('[data-testid=blocked-reason]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('opens a folded section when Cannot train points at a field in it', async () => {
    const wrapper = mount(Both, { attachTo: document.body })
    const section = wrapper.find<HTMLDetailsElement>('[data-testid=section-training]')
    // Every section starts open; folded here by its heading.
    expect(wrapper.findAll<HTMLDetailsElement>('details.section').every((d) => d.element.open)).toBe(true)
    // Space on a section's heading folds it (the browser's own action): it does not start training.
    const heading = section.find('summary')
    ;(heading.element as HTMLElement).focus()
    const space = new KeyboardEvent('keydown', { key: ' ', bubbles: true, cancelable: true })
    heading.element.dispatchEvent(space)
    expect(space.defaultPrevented).toBe(false)
    expect(useTrainingStore().status).toBe('idle')
    section.element.open = false
    await wrapper.find('[data-testid=epochs]').setValue('x')
    expect(section.element.open).toBe(false)
    await wrapper.find('[data-testid=blocked-reason]').trigger('click')
    expect(section.element.open).toBe(true)
    expect(document.activeElement?.getAttribute('data-testid')).toBe('epochs')
    wrapper.unmount()
  })

  it('keeps a folded section folded when it is drawn again (locked while training)', async () => {
    const wrapper = mount(EditorSection, { props: { title: 'Training', testid: 'section-training' } })
    const section = wrapper.find<HTMLDetailsElement>('details')
    expect(section.element.open).toBe(true)
    section.element.open = false
    await wrapper.setProps({ locked: true })
    expect(wrapper.find('fieldset').attributes('disabled')).toBeDefined()
    expect(section.element.open).toBe(false)
  })

  it('reads a list of learning rates and flags the bad one', async () => {
    const wrapper = mount(ExperimentEditor)
    await wrapper.find('[data-testid=learning-rates]').setValue('0.1, 0.5;2 x')
    const store = useExperimentStore()
    expect(store.experiment.training.learningRates.slice(0, 3)).toEqual([0.1, 0.5, 2])
    expect(wrapper.find('.rates .problem').text()).toBe('rate 4: enter a number')
  })

  it('adds and removes samples and takes a pasted table', async () => {
    const wrapper = mount(ExperimentEditor)
    const store = useExperimentStore()
    await wrapper
      .findAll('button')
      .find((b) => b.text() === '+ sample')!
      .trigger('click')
    expect(wrapper.findAll('[role=row][data-testid^=sample-]')).toHaveLength(2)
    const paste = new Event('paste', { bubbles: true }) as Event & { clipboardData: unknown }
    paste.clipboardData = { getData: () => '0\t0\t0\t0\n0\t1\t1\t1\n1\t0\t1\t1\n1\t1\t0\t0' }
    wrapper.find('[data-testid=samples]').element.dispatchEvent(paste)
    await wrapper.vm.$nextTick()
    expect(store.experiment.samples).toHaveLength(4)
    expect(store.experiment.samples[2]).toEqual({ inputs: [1, 0], targets: [1, 1] })
    expect(wrapper.findAll('[role=row][data-testid^=sample-]')).toHaveLength(4)
    await wrapper.find('[role=row][data-testid=sample-3] button').trigger('click')
    expect(store.experiment.samples).toHaveLength(3)
  })

  it('edits an initial weight, and the run starts from it', async () => {
    const wrapper = mount(Both)
    await wrapper.find('[data-testid=init-w5]').setValue('0.6')
    const training = useTrainingStore()
    await wrapper.find('[data-testid=train]').trigger('click')
    await until(() => training.status === 'done')
    const run = training.runs[0]
    expect(run.table.get(0, run.layout.names.indexOf('w5'))).toBe(0.6)
  })

  it('drives training from the keyboard: Space, → and Shift+→', async () => {
    const wrapper = mount(Both, { attachTo: document.body })
    const training = useTrainingStore()
    const key = (k: string, shiftKey = false): boolean =>
      window.dispatchEvent(new KeyboardEvent('keydown', { key: k, shiftKey, bubbles: true }))
    key('ArrowRight')
    await until(() => training.runs[0]?.epochs === 1)
    key('ArrowRight', true)
    await until(() => training.runs[0].epochs === 11)
    expect(training.status).toBe('paused')
    key(' ')
    expect(training.status).toBe('running')
    await until(() => training.status === 'done')
    expect(wrapper.find('[data-testid=progress]').text()).toContain('70 / 70 epochs')
    wrapper.unmount()
  })

  it('the Speed control holds training to a watchable pace and back to full speed, before or during a run', async () => {
    const wrapper = mount(Both, { attachTo: document.body })
    const training = useTrainingStore()
    const speed = wrapper.find('[data-testid=speed]')
    const options = speed.findAll('option').map((o) => o.text())
    expect(options[0]).toBe('1/s')
    expect(options.at(-1)).toBe('full speed')
    expect((speed.element as HTMLSelectElement).value).toBe('0')
    await speed.setValue('2')
    expect(training.pace).toBe(2)
    await wrapper.find('[data-testid=train]').trigger('click')
    // Two epochs a second (real time here): after the first epoch the run waits, far from its 70.
    await until(() => training.runs[0]?.epochs >= 1)
    expect(training.runs[0].epochs).toBeLessThan(70)
    expect(training.status).toBe('running')
    await speed.setValue('0')
    expect(training.pace).toBe(0)
    await until(() => training.status === 'done')
    expect(training.runs[0].epochs).toBe(70)
  })

  it('edits the document’s notes: shown from the file, changes mark it unsaved, editable while training', async () => {
    const wrapper = mount(ExperimentEditor)
    const doc = useDocumentStore()
    const notes = wrapper.find<HTMLTextAreaElement>('textarea[data-testid=notes]')
    expect(notes.element.value).toBe('')
    expect(doc.dirty).toBe(false)

    await notes.setValue('Try η = 2 next.\nWatch E_tot.')
    expect(doc.notes).toBe('Try η = 2 next.\nWatch E_tot.')
    expect(doc.dirty).toBe(true)
    expect(doc.title).toBe('Backpropagation sheet • unsaved')
    // The notes go into the saved document, and notes alone do not invalidate the results.
    const training = useTrainingStore()
    training.train()
    await until(() => training.status === 'done')
    await notes.setValue('Trained once.')
    const saved = parseDocumentText(doc.documentText())
    if (!saved.ok) throw new Error(saved.error)
    expect(saved.value.notes).toBe('Trained once.')
    expect(saved.value.results).toHaveLength(1)

    // Opening a file shows its notes, and nothing is unsaved.
    const text = fixture('v2-seeded-tanh.bplab')
    const opening = doc.openFile({ name: 'v2-seeded-tanh.bplab', path: null, text })
    await until(() => doc.prompt !== null)
    doc.answer('discard')
    expect(await opening).toBe(true)
    await wrapper.vm.$nextTick()
    expect(notes.element.value).toBe('Line one.\nLine two, with “quotes” and ünïcödé.')
    expect(doc.dirty).toBe(false)

    // While a run trains the configuration is locked, the notes are not.
    useExperimentStore().experiment.training.epochs = 1_000_000
    training.train()
    await until(() => training.status === 'running')
    await wrapper.vm.$nextTick()
    expect(wrapper.find('input[aria-label="Experiment name"]').attributes('disabled')).toBeDefined()
    expect(notes.attributes('disabled')).toBeUndefined()
    await notes.setValue('Noted while training.')
    expect(doc.notes).toBe('Noted while training.')
    training.stop()
    await until(() => training.status !== 'running')
  })
})

describe('RunControls for a student (issue 16)', () => {
  const key = (k: string, shiftKey = false): boolean =>
    window.dispatchEvent(new KeyboardEvent('keydown', { key: k, shiftKey, bubbles: true }))
  const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0))

  it('never replaces a finished run on a key alone: → and Space ask first, and Keep keeps it', async () => {
    const wrapper = mount(Both, { attachTo: document.body })
    const training = useTrainingStore()
    training.train()
    await until(() => training.status === 'done')
    const finished = training.runs
    key('ArrowRight')
    await tick()
    expect(training.runs).toBe(finished)
    expect(wrapper.find('[role=alertdialog]').text()).toContain('Step one epoch from the start? This replaces the finished runs.')
    expect(document.activeElement).toBe(wrapper.find('[data-testid=confirm-keep]').element) // Enter or Space now keeps them
    await wrapper.find('[data-testid=confirm-keep]').trigger('click')
    expect(training.runs).toBe(finished)
    expect(training.status).toBe('done')
    key(' ')
    await tick()
    expect(wrapper.find('[role=alertdialog]').text()).toContain('Train again?')
    key('ArrowRight') // a second key while asked does nothing more
    await wrapper.find('[data-testid=confirm-replace]').trigger('click')
    expect(training.runs).not.toBe(finished)
    expect(training.status).toBe('running')
    await until(() => training.status === 'done')
    wrapper.unmount()
  })

  it('shows why Train is disabled beside it, and a click brings the field into view and focuses it', async () => {
    const wrapper = mount(Both, { attachTo: document.body })
    await wrapper.find('[data-testid=epochs]').setValue('')
    const reason = wrapper.find('[data-testid=blocked-reason]')
    expect(reason.element.tagName).toBe('BUTTON')
    expect(reason.text()).toBe('Cannot train: epochs: enter a number')
    const scrolled: Element[] = []
    Element.prototype.scrollIntoView = function (this: Element) {
      scrolled.push(this)
    }
    await reason.trigger('click')
    expect(document.activeElement).toBe(wrapper.find('[data-testid=epochs]').element)
    expect(scrolled).toEqual([wrapper.find('[data-testid=epochs]').element])
    // A sample's target (a field in a list) is found by its own path too.
    await wrapper.find('[data-testid=epochs]').setValue('70')
    await wrapper.find('[data-testid=sample-0-t2]').setValue('x')
    await wrapper.find('[data-testid=blocked-reason]').trigger('click')
    expect(document.activeElement).toBe(wrapper.find('[data-testid=sample-0-t2]').element)
    wrapper.unmount()
  })

  it('says a stopped run was cut short: "stopped at N of M epochs"', async () => {
    const wrapper = mount(Both, { attachTo: document.body })
    const experiment = useExperimentStore()
    const training = useTrainingStore()
    experiment.experiment.training.epochs = 100_000_000
    training.step(1)
    await until(() => training.runs[0]?.epochs === 1)
    training.step(5)
    await until(() => training.runs[0].epochs === 6)
    training.stop()
    await until(() => training.status === 'done')
    await tick()
    expect(wrapper.find('[data-testid=stop-summary]').text()).toBe('Stopped at 6 of 100,000,000 epochs.')
    expect(wrapper.find('[data-testid=progress]').text()).toMatch(/6 \/ 100,000,000 epochs .* stopped/)
    wrapper.unmount()
  })

  it('names every shortcut in the help overlay (? and F1), and Escape closes it', async () => {
    const wrapper = mount(HelpOverlay, { attachTo: document.body })
    expect(wrapper.find('[data-testid=help]').exists()).toBe(false)
    key('?')
    await tick()
    const rows = wrapper.findAll('[data-testid=help] tr:not(.group)')
    expect(rows).toHaveLength(SHORTCUTS.length)
    expect(wrapper.text()).toContain('Ctrl+Z')
    key('Escape')
    await tick()
    expect(wrapper.find('[data-testid=help]').exists()).toBe(false)
    key('F1')
    await tick()
    expect(wrapper.find('[data-testid=help]').exists()).toBe(true)
    helpOpen.value = false
    wrapper.unmount()
  })

  it('puts each control’s keys in its tooltip, from the same list', () => {
    const wrapper = mount(RunControls)
    expect(wrapper.find('[data-testid=train]').attributes('title')).toBe(tip('train'))
    expect(tip('train')).toContain('Space')
    expect(tip('step')).toContain('→')
    // A view's keys come from the same list: the chart names each of its keys and what it does.
    expect(keysOf('Loss chart')).toBe('+ or −: zoom in or out; ← →: move along the epochs; 0: show every epoch again')
    expect(tip('stop')).toContain('Shift+F5')
  })
})
