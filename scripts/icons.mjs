/* eslint-disable @typescript-eslint/explicit-function-return-type -- plain JavaScript: no type annotations here */
// Generates every icon the packaged app needs from build/icon.svg (the one committed source):
// build/icon.png (1024), build/icons/<n>x<n>.png for Linux, build/icon.ico for Windows and
// build/icon.icns for macOS. Run with `npm run icons` after changing the SVG; commit the output.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Resvg } from '@resvg/resvg-js'
import png2icons from 'png2icons'

const buildDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'build')
export const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024]

const svg = readFileSync(join(buildDir, 'icon.svg'))
const render = (size) => new Resvg(svg, { fitTo: { mode: 'width', value: size } }).render().asPng()

const master = render(1024)
writeFileSync(join(buildDir, 'icon.png'), master)
mkdirSync(join(buildDir, 'icons'), { recursive: true })
for (const size of LINUX_SIZES) writeFileSync(join(buildDir, 'icons', `${size}x${size}.png`), render(size))

const ico = png2icons.createICO(master, png2icons.BICUBIC2, 0, false, true)
const icns = png2icons.createICNS(master, png2icons.BICUBIC2, 0)
if (!ico || !icns) throw new Error('png2icons could not convert build/icon.png')
writeFileSync(join(buildDir, 'icon.ico'), ico)
writeFileSync(join(buildDir, 'icon.icns'), icns)
console.log(`icons written to ${buildDir}`)
