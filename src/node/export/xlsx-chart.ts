import type ExcelJS from 'exceljs'
import { chartDisplaySize } from '../../shared/xlsx/chart-size'
import type { WorkbookWriterInternals, WorksheetWriterInternals, Zip } from './xlsx-internals'

/**
 * Places the loss chart (a PNG) on a sheet of exceljs's streaming writer, which itself can only
 * set background images: the drawing part, its relationship and the `<drawing>` element are added
 * here, in the places the OOXML schema wants them. Call it after the sheet's rows and before its
 * commit; a drawing's content type is added when the writer emits [Content_Types].xml.
 */

const DRAWING_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing'
const IMAGE_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/image'
const EMU_PER_PIXEL = 9525

function drawingXml(col: number, row: number, width: number, height: number): string {
  const cx = width * EMU_PER_PIXEL
  const cy = height * EMU_PER_PIXEL
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">' +
    `<xdr:oneCellAnchor><xdr:from><xdr:col>${col}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>${row}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>` +
    `<xdr:ext cx="${cx}" cy="${cy}"/><xdr:pic><xdr:nvPicPr><xdr:cNvPr id="2" name="Loss chart" descr="E_tot per epoch"/>` +
    '<xdr:cNvPicPr><a:picLocks noChangeAspect="1"/></xdr:cNvPicPr></xdr:nvPicPr>' +
    '<xdr:blipFill><a:blip xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:embed="rId1"/><a:stretch><a:fillRect/></a:stretch></xdr:blipFill>' +
    `<xdr:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="${cx}" cy="${cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr>` +
    '</xdr:pic><xdr:clientData/></xdr:oneCellAnchor></xdr:wsDr>'
  )
}

function drawingRelsXml(mediaName: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
    `<Relationship Id="rId1" Type="${IMAGE_REL}" Target="../media/${mediaName}"/></Relationships>`
  )
}

/** Adds the drawing's content type to [Content_Types].xml when the writer appends it. */
function addDrawingContentType(zip: Zip): void {
  const append = zip.append.bind(zip)
  zip.append = (source, data) => {
    if (data.name === '[Content_Types].xml' && typeof source === 'string') {
      source = source.replace('</Types>', '<Override PartName="/xl/drawings/drawing1.xml" ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/></Types>')
    }
    return append(source, data)
  }
}

export function embedChart(wb: WorkbookWriterInternals, ws: WorksheetWriterInternals, png: Uint8Array, at: { col: number; row: number }): void {
  const { width, height } = chartDisplaySize(png)
  const imageId = wb.addImage({ buffer: Buffer.from(png) as unknown as ExcelJS.Buffer, extension: 'png' })
  const media = wb.getImage(imageId) as unknown as { name: string }
  const rId = ws._sheetRelsWriter.addRelationship({ Type: DRAWING_REL, Target: '../drawings/drawing1.xml' })
  const writeLegacy = ws._writeLegacyData.bind(ws)
  ws._writeLegacyData = () => {
    ws.stream.write(`<drawing r:id="${rId}"/>`)
    writeLegacy()
  }
  wb.zip.append(drawingXml(at.col, at.row, width, height), { name: 'xl/drawings/drawing1.xml' })
  wb.zip.append(drawingRelsXml(media.name), { name: 'xl/drawings/_rels/drawing1.xml.rels' })
  addDrawingContentType(wb.zip)
}
