import { readFile } from 'node:fs/promises'
import { atomicWrite } from '../node/files/atomic-write'

/** Where and how big the main window was, remembered between launches. */
export interface WindowState {
  x?: number
  y?: number
  width: number
  height: number
  maximized: boolean
}

export interface Rectangle {
  x: number
  y: number
  width: number
  height: number
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1280, height: 800, maximized: false }
const MIN = { width: 640, height: 480 }

function isInt(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && Math.abs(x) < 100_000
}

/** Reads the saved state; anything missing, unreadable or odd gives the default. */
export async function loadWindowState(file: string): Promise<WindowState> {
  let data: unknown
  try {
    data = JSON.parse(await readFile(file, 'utf8'))
  } catch {
    return { ...DEFAULT_WINDOW_STATE }
  }
  if (typeof data !== 'object' || data === null) return { ...DEFAULT_WINDOW_STATE }
  const d = data as Record<string, unknown>
  if (!isInt(d.width) || !isInt(d.height)) return { ...DEFAULT_WINDOW_STATE }
  const state: WindowState = {
    width: Math.max(MIN.width, d.width),
    height: Math.max(MIN.height, d.height),
    maximized: d.maximized === true,
  }
  if (isInt(d.x) && isInt(d.y)) Object.assign(state, { x: d.x, y: d.y })
  return state
}

export async function saveWindowState(file: string, state: WindowState): Promise<void> {
  await atomicWrite(file, JSON.stringify(state))
}

/**
 * Keeps the window reachable: a position saved on a display that is gone (or whose title bar
 * would be off every display) is dropped so the OS centres the window; a size bigger than the
 * display it lands on is shrunk to fit.
 */
export function fitToDisplays(state: WindowState, workAreas: Rectangle[]): WindowState {
  const fitted = { ...state }
  if (workAreas.length === 0) return fitted
  const titleBar = (area: Rectangle): boolean =>
    fitted.x !== undefined &&
    fitted.y !== undefined &&
    fitted.x + 100 <= area.x + area.width &&
    fitted.x + fitted.width - 100 >= area.x &&
    fitted.y >= area.y &&
    fitted.y + 30 <= area.y + area.height
  const home = workAreas.find(titleBar)
  if (!home) {
    delete fitted.x
    delete fitted.y
  }
  const area = home ?? workAreas[0]
  fitted.width = Math.min(fitted.width, area.width)
  fitted.height = Math.min(fitted.height, area.height)
  return fitted
}
