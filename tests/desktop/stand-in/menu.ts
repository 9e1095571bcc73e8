import { notInStandIn, strict } from './shared'

export interface ItemOptions {
  label?: string
  role?: string
  type?: string
  accelerator?: string
  enabled?: boolean
  checked?: boolean
  submenu?: ItemOptions[]
  click?: (item: unknown, window: unknown, event: object) => void
}

/** Menu.buildFromTemplate / setApplicationMenu, and clicking an item by its labels as a user would. */
export interface MenuModule {
  buildFromTemplate(template: ItemOptions[]): unknown
  setApplicationMenu(menu: unknown): void
  getApplicationMenu(): unknown
  clickByLabels(labels: string[]): void
}

export function createMenu(focusedWindow: () => unknown, quit: () => void): MenuModule {
  let applicationMenu: StandInMenu | null = null

  class MenuItem {
    readonly label: string
    readonly role?: string
    readonly type: string
    readonly accelerator?: string
    enabled: boolean
    checked: boolean
    readonly submenu: StandInMenu | null
    constructor(private readonly o: ItemOptions) {
      this.role = o.role
      this.type = o.type ?? (o.submenu ? 'submenu' : 'normal')
      this.label = o.label ?? (o.role ? o.role : '')
      this.accelerator = o.accelerator
      this.enabled = o.enabled ?? true
      this.checked = o.checked ?? false
      this.submenu = o.submenu ? new StandInMenu(o.submenu) : null
    }
    click(): void {
      if (!this.enabled) throw new Error(`menu item "${this.label}" is disabled`)
      if (this.type === 'radio') this.checked = true
      if (this.o.click) return this.o.click(this, focusedWindow(), { triggeredByAccelerator: false })
      if (this.role?.toLowerCase() === 'quit') return quit()
      if (this.role) notInStandIn(`the menu role "${this.role}"`)
    }
  }

  class StandInMenu {
    readonly items: MenuItem[]
    constructor(template: ItemOptions[]) {
      this.items = template.map((o) => new MenuItem(o))
    }
  }

  return strict('Menu.', {
    buildFromTemplate: (template: ItemOptions[]) => new StandInMenu(template),
    setApplicationMenu(menu: unknown) {
      applicationMenu = menu as StandInMenu | null
    },
    getApplicationMenu: () => applicationMenu,
    /** The stand-in's own: clicks File › Save by ['File', 'Save'] (mnemonic '&' and '…' ignored). */
    clickByLabels(labels: string[]): void {
      const clean = (s: string): string => s.replace(/&/g, '').replace(/…$/, '').trim()
      let menu = applicationMenu
      let item: MenuItem | undefined
      for (const label of labels) {
        item = menu?.items.find((i) => clean(i.label) === clean(label))
        if (!item) throw new Error(`no menu item "${labels.join(' › ')}"`)
        menu = item.submenu
      }
      item!.click()
    },
  })
}
