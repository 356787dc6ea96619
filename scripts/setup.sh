#!/usr/bin/env bash
# Sets Aura up on a fresh Debian/Ubuntu machine: system packages (FFmpeg; the offline voices
# festival with its HTS voice, flite and espeak-ng; pocketsphinx for word timings; Open Clip
# Art for offline pictures; fluidsynth and a General MIDI sound font for the music; the Noto
# fonts, which draw the cards and captions in every script Aura speaks; Chromium too when
# AURA_WITH_CHROMIUM=1, Tesseract OCR with the language data the tests read frames back in
# when AURA_WITH_TEST_TOOLS=1), npm packages, the Prisma client and the web build.
set -euo pipefail
cd "$(dirname "$0")/.."

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "Aura needs Node.js 20 or newer (found: $(node --version 2>/dev/null || echo none))." >&2
  exit 1
fi

need=()
command -v ffmpeg >/dev/null || need+=(ffmpeg)
command -v espeak-ng >/dev/null || need+=(espeak-ng)
command -v festival >/dev/null || need+=(festival)
[ -d /usr/share/festival/voices/us/cmu_us_slt_arctic_hts ] || need+=(festvox-us-slt-hts)
command -v flite >/dev/null || need+=(flite)
command -v pocketsphinx_continuous >/dev/null || need+=(pocketsphinx)
[ -f /usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict ] || need+=(pocketsphinx-en-us)
[ -d /usr/share/openclipart/svg ] || need+=(openclipart-svg)
command -v fluidsynth >/dev/null || need+=(fluidsynth)
[ -f /usr/share/sounds/sf3/MuseScore_General_Lite.sf3 ] || need+=(musescore-general-soundfont-small)
command -v pgrep >/dev/null || need+=(procps)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf ] || need+=(fonts-dejavu-core)
# Noto for every script: Latin, Cyrillic, Arabic, Hebrew, Devanagari, Bengali and Thai (core),
# Chinese, Japanese and Korean (cjk, about 90 MB), and emoji in colour.
[ -f /usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf ] || need+=(fonts-noto-core)
[ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || need+=(fonts-noto-cjk)
[ -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || need+=(fonts-noto-color-emoji)
if [ "${AURA_WITH_CHROMIUM:-0}" = "1" ] && [ ! -x /usr/bin/chromium ]; then need+=(chromium); fi
# The tests read rendered frames back with OCR, in each language they render.
if [ "${AURA_WITH_TEST_TOOLS:-0}" = "1" ]; then
  command -v tesseract >/dev/null || need+=(tesseract-ocr)
  have=$(tesseract --list-langs 2>/dev/null || true)
  for lang in eng spa fra deu rus ara heb hin tha chi_sim chi_tra jpn kor; do
    grep -qx "$lang" <<<"$have" || need+=("tesseract-ocr-${lang//_/-}")
  done
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "[setup] installing system packages: ${need[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

echo "[setup] installing npm packages"
# Playwright's own browser download is not used: tests run Debian's Chromium.
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --loglevel=error
echo "[setup] generating the Prisma client"
npm run --silent db:generate
echo "[setup] building the web app"
NEXT_TELEMETRY_DISABLED=1 npm run --silent build
