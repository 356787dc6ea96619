// How wide libass draws text in each script, per display column and per unit of font size,
// with the Noto face languages.ts picks: the figures behind SCRIPT_WIDTH in src/captions.ts
// (the worker breaks lines itself, so its width estimate must never fall short). Also prints,
// per sample, the worker's estimate against the drawn width: an estimate below 1.0× would let
// a line run out of its box. Last, what breaking lines costs: the time to build the captions
// file of 2,000 two-line cues (each line balanced) per language.
// Run: node --import tsx render-worker/bench/text-widths.ts
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { displayWidth, fontFamilyFor } from "@aura/render-contract";
import { buildAssFile, drawnWidth } from "../src/captions.ts";

const SAMPLES: [string, string][] = [
  ["en", "The quick brown fox jumps over the lazy dog while we watch"],
  ["en", "MAKE VIDEOS WITH AURA TODAY AND WATCH THEM"],
  ["es", "Aprende cómo funciona la fotosíntesis en las plantas verdes"],
  ["ru", "Съешь же ещё этих мягких французских булок да выпей чаю"],
  ["vi", "Chào mừng bạn đến với video về năng lượng mặt trời"],
  ["ar", "مرحبا بكم في هذا الفيديو عن الطاقة الشمسية والرياح"],
  ["ar", "يعرض الفيديو 42 صورة من Aura كل يوم"],
  ["fa", "این یک ویدیوی آزمایشی درباره انرژی خورشیدی است"],
  ["he", "ברוכים הבאים לסרטון הזה על אנרגיה סולארית ורוח"],
  ["hi", "सौर ऊर्जा के बारे में इस वीडियो में आपका स्वागत है"],
  ["bn", "সৌর শক্তি সম্পর্কে এই ভিডিওতে আপনাকে স্বাগতম"],
  ["th", "ยินดีต้อนรับสู่วิดีโอเกี่ยวกับพลังงานแสงอาทิตย์"],
  ["zh", "欢迎观看这个关于太阳能和风能的视频"],
  ["zh", "我们用 FFmpeg 渲染视频"],
  ["ja", "太陽エネルギーについてのビデオへようこそ"],
  ["ko", "태양 에너지에 관한 이 비디오에 오신 것을 환영합니다"],
];

const W = 3840;
const H = 300;
const SIZE = 60;
const dir = mkdtempSync(path.join(os.tmpdir(), "aura-bench-widths-"));
try {
  console.log("language  face                  columns  drawn/column/size  estimate/drawn");
  for (const [language, text] of SAMPLES) {
    const family = fontFamilyFor(language);
    const ass = [
      "[Script Info]",
      "ScriptType: v4.00+",
      `PlayResX: ${W}`,
      `PlayResY: ${H}`,
      "WrapStyle: 2",
      "",
      "[V4+ Styles]",
      "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding",
      `Style: S,${family},${SIZE},&H00FFFFFF,&H00FFFFFF,&H00000000,&H00000000,-1,0,0,0,100,100,0,0,1,0,0,5,0,0,0,-1`,
      "",
      "[Events]",
      "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text",
      `Dialogue: 0,0:00:00.00,0:00:01.00,S,,0,0,0,,${text}`,
    ].join("\n");
    const file = path.join(dir, "w.ass");
    writeFileSync(file, ass);
    const raw = spawnSync(
      "ffmpeg",
      ["-v", "error", "-f", "lavfi", "-i", `color=black:s=${W}x${H}`, "-vf", `ass=${file},format=gray`, "-frames:v", "1", "-f", "rawvideo", "-"],
      {
        maxBuffer: 1 << 26,
      },
    ).stdout;
    let [left, right] = [W, 0];
    for (let i = 0; i < raw.length; i++)
      if (raw[i]! > 100) {
        left = Math.min(left, i % W);
        right = Math.max(right, i % W);
      }
    const drawn = right - left;
    const columns = displayWidth(text);
    const estimate = drawnWidth(text) * SIZE;
    console.log(
      `${language.padEnd(9)} ${family.padEnd(21)} ${String(columns).padStart(7)}  ${(drawn / columns / SIZE).toFixed(3).padStart(17)}  ${(estimate / drawn).toFixed(2).padStart(13)}×`,
    );
  }
  console.log("\nbuilding a captions file of 2,000 two-line cues at 1920x1080:");
  for (const [language, text] of [
    ["en", "Every language gets captions that read well on any screen, and never run out of the frame."],
    ["ar", "يعرض الفيديو 42 صورة من Aura كل يوم، وكل صورة تحكي قصة مختلفة عن الطاقة الشمسية والرياح."],
    ["zh", "每种语言的字幕都能在屏幕上清楚地显示出来，而且不会超出画面的边缘，也不会把标点放在行首。"],
    ["th", "ทุกภาษามีคำบรรยายที่อ่านง่ายบนหน้าจอและไม่ล้นออกนอกกรอบภาพเลยแม้แต่นิดเดียวในทุกขนาดของวิดีโอ"],
  ] as const) {
    const cues = Array.from({ length: 2000 }, (_, i) => ({ start: i, end: i + 1, text: `${text} ${i}` }));
    const started = performance.now();
    const lines = buildAssFile(cues, 1920, 1080, {}, [], language).split("\\N").length - 1;
    console.log(`${language.padEnd(9)} ${Math.round(performance.now() - started)} ms (${lines} line breaks)`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
