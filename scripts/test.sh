#!/usr/bin/env bash
# The one command that sets up a fresh machine and passes every check: what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm run typecheck
npm run lint
npx electron-vite build
npm run audit:electron
npm test -- --reporter=default --reporter=json --outputFile=out/test-results.json
# One plain closing line that any CI can read.
node -e 'const r = require("./out/test-results.json"); console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed`)'
# The desktop app end to end through the Electron stand-in (reuses the build above); its last line
# is "desktop: N passed, N failed".
npm run -s test:desktop
