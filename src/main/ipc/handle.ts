import { ipcMain, type IpcMainEvent, type IpcMainInvokeEvent, type WebContents } from 'electron'
import type * as v from 'valibot'
import {
  channelName,
  checkRequest,
  invokeSchemas,
  sendSchemas,
  type EventDomain,
  type EventPayload,
  type EventVerb,
  type InvokeDomain,
  type InvokeRequest,
  type InvokeResponse,
  type InvokeVerb,
  type SendDomain,
  type SendRequest,
  type SendVerb,
} from '../../shared/ipc'

/**
 * The only module that touches ipcMain: every handler is registered through here, so every
 * payload is checked against the contract's schema and every sender frame is checked.
 */
export type SenderCheck = (event: IpcMainEvent | IpcMainInvokeEvent) => boolean

export function handle<D extends InvokeDomain, V extends InvokeVerb<D>>(
  trusted: SenderCheck,
  domain: D,
  verb: V,
  fn: (request: InvokeRequest<D, V>) => Promise<InvokeResponse<D, V>>
): void {
  const channel = channelName(domain, verb)
  const schema = invokeSchemas[domain][verb] as v.GenericSchema<unknown, InvokeRequest<D, V>>
  ipcMain.handle(channel, async (event, payload: unknown) => {
    if (!trusted(event)) throw new Error(`${channel}: refused, the sender is not the app's window`)
    const checked = checkRequest(schema, payload)
    if (!checked.ok) throw new Error(`${channel}: invalid request (${checked.error})`)
    return fn(checked.value)
  })
}

/**
 * A message that is not answered. A refused one (invalid payload, or a handler that threw) is still
 * answered: a "refused" event of the ipc domain tells the window, which shows it, so nothing is dropped silently.
 * Only a sender that is not the app's window gets no answer (it is not ours to talk to).
 */
export function listen<D extends SendDomain, V extends SendVerb<D>>(
  trusted: SenderCheck,
  domain: D,
  verb: V,
  fn: (request: SendRequest<D, V>) => void
): void {
  const channel = channelName(domain, verb)
  const schema = sendSchemas[domain][verb] as v.GenericSchema<unknown, SendRequest<D, V>>
  ipcMain.on(channel, (event, payload: unknown) => {
    if (!trusted(event)) return console.warn(`${channel}: ignored a message from an untrusted sender`)
    const refuse = (message: string): void => emit(event.sender, 'ipc', 'refused', { channel, message })
    const checked = checkRequest(schema, payload)
    if (!checked.ok) return refuse(`invalid request (${checked.error})`)
    try {
      fn(checked.value)
    } catch (e) {
      refuse(e instanceof Error ? e.message : String(e))
    }
  })
}

export function emit<D extends EventDomain, V extends EventVerb<D>>(
  contents: WebContents | null | undefined,
  domain: D,
  verb: V,
  payload: EventPayload<D, V>
): void {
  if (contents && !contents.isDestroyed()) contents.send(channelName(domain, verb), payload)
}
