import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { assColor, buildAssFile, buildSrt, buildVtt, sanitizeCaptionText } from "../src/captions.ts";
import { escapeFilterValue } from "../src/filter-escape.ts";

describe("captions file", () => {
  test("text is made inert for ASS", () => {
    assert.equal(sanitizeCaptionText("a {\\b1}bold\\N\nnext"), "a \\{\\\u2060b1\\}bold\\\u2060N next");
    const ass = buildAssFile([{ start: 61.25, end: 62.5, text: "Hi {there}" }], 1080, 1920);
    assert.match(ass, /PlayResX: 1080\nPlayResY: 1920/);
    assert.match(ass, /Dialogue: 0,0:01:01\.25,0:01:02\.50,Caption,,0,0,0,,Hi \\\{there\\\}/);
  });
  test("libass draws braces and backslashes as themselves, and no override or escape takes effect (read back by OCR)", () => {
    const text = "set {x} to C:\\Net\\{y} {\\i1}";
    const dir = mkdtempSync(path.join(os.tmpdir(), "aura-ass-ocr-"));
    writeFileSync(path.join(dir, "c.ass"), buildAssFile([{ start: 0, end: 2, text }], 1280, 360, { size: "large", position: "middle" }));
    const frame = path.join(dir, "frame.png");
    const run = spawnSync(
      "ffmpeg",
      [
        "-v",
        "error",
        "-f",
        "lavfi",
        "-i",
        "color=black:s=1280x360",
        "-vf",
        `ass=filename=${escapeFilterValue(path.join(dir, "c.ass"))},negate`,
        "-frames:v",
        "1",
        frame,
      ],
      {
        encoding: "utf8",
      },
    );
    assert.equal(run.status, 0, run.stderr);
    const ocr = spawnSync("tesseract", [frame, "-", "--psm", "7"], { encoding: "utf8" });
    assert.equal(ocr.status, 0, `tesseract (scripts/setup.sh installs it for the tests): ${ocr.stderr}`);
    assert.equal(ocr.stdout.trim(), text);
  });
  test("a caption that starts and ends on frame boundaries shows on exactly those frames (real libass)", () => {
    // 2/30 s and 4/30 s: frames 2 and 3 of a 30 fps video, and no others.
    const ass = buildAssFile([{ start: 2 / 30, end: 4 / 30, text: "FRAME" }], 320, 180, { size: "large", position: "middle" });
    assert.match(ass, /Dialogue: 0,0:00:00\.06,0:00:00\.13,/);
    const dir = mkdtempSync(path.join(os.tmpdir(), "aura-ass-frames-"));
    writeFileSync(path.join(dir, "c.ass"), ass);
    const run = spawnSync(
      "ffmpeg",
      [
        "-v",
        "error",
        "-f",
        "lavfi",
        "-i",
        "color=black:s=320x180:r=30",
        "-vf",
        `ass=filename=${escapeFilterValue(path.join(dir, "c.ass"))},format=gray`,
        "-frames:v",
        "6",
        "-f",
        "rawvideo",
        "-",
      ],
      { maxBuffer: 1 << 24 },
    );
    assert.equal(run.status, 0, run.stderr?.toString());
    const frameSize = 320 * 180;
    const lit = Array.from({ length: 6 }, (_, f) => run.stdout.subarray(f * frameSize, (f + 1) * frameSize).some((v) => v > 128));
    assert.deepEqual(lit, [false, false, true, true, false, false]);
  });
  test("style: font, size, colours and position; word highlight colours the spoken word only, text still inert", () => {
    const cue = {
      start: 1,
      end: 2.2,
      text: "one {two} three",
      words: [
        { text: "one", start: 1, end: 1.3 },
        { text: "{two}", start: 1.3, end: 1.7 },
        { text: "three", start: 1.7, end: 2.2 },
      ],
    };
    const plain = buildAssFile([cue], 1920, 1080);
    assert.equal((plain.match(/^Dialogue:/gm) ?? []).length, 1, "without highlight, words are ignored");
    const ass = buildAssFile([cue], 1920, 1080, {
      highlightWords: true,
      highlightColor: "#FFD23F",
      color: "#EEEEEE",
      size: "large",
      position: "top",
      font: "serif",
    });
    assert.match(ass, /Style: Caption,Noto Serif,85,&H00EEEEEE,&H00EEEEEE,&H00101010,&H80000000,-1,0,0,0,100,100,0,0,1,6,1,8,/);
    const events = ass.match(/^Dialogue:.*$/gm)!;
    assert.deepEqual(events, [
      "Dialogue: 0,0:00:01.00,0:00:01.30,Caption,,0,0,0,,{\\c&H003FD2FF&}one{\\r} \\{two\\} three",
      "Dialogue: 0,0:00:01.30,0:00:01.70,Caption,,0,0,0,,one {\\c&H003FD2FF&}\\{two\\}{\\r} three",
      "Dialogue: 0,0:00:01.70,0:00:02.20,Caption,,0,0,0,,one \\{two\\} {\\c&H003FD2FF&}three{\\r}",
    ]);
    assert.match(buildAssFile([cue], 1080, 1920, { position: "middle" }), /,5,\d+,\d+,0,1$/m, "middle: centred, no vertical margin");
    assert.equal(assColor("#12AB9F"), "&H009FAB12");
  });
  test("titles and lower thirds: styles, fade and slide, text inert; a cut one carries on its animation", () => {
    const overlays = [
      { kind: "title" as const, text: "Big {\\b0}Title", subtext: "sub\\Nline", start: 1, end: 4, animation: "fade" as const, from: 1, to: 4 },
      { kind: "lower-third" as const, text: "Ada Lovelace", start: 2, end: 5, animation: "slide" as const, from: 2, to: 5 },
      { kind: "title" as const, text: "Still", start: 0, end: 1, animation: "none" as const, from: 0, to: 1 },
    ];
    const ass = buildAssFile([], 1920, 1080, {}, overlays);
    assert.match(ass, /^Style: Title,Noto Sans,117,&H00FFFFFF,/m);
    assert.match(ass, /^Style: LowerThird,Noto Sans,62,&H00FFFFFF,&H00FFFFFF,&H40181818,&H40181818,-1,0,0,0,100,100,0,0,3,21,0,1,/m);
    const events = ass.match(/^Dialogue:.*$/gm)!;
    assert.deepEqual(events, [
      "Dialogue: 1,0:00:01.00,0:00:04.00,Title,,0,0,0,,{\\fade(255,0,255,0,400,2600,3000)\\pos(960,540)}Big \\{\\\u2060b0\\}Title\\N{\\fs53\\b0}sub\\\u2060Nline",
      "Dialogue: 1,0:00:02.00,0:00:05.00,LowerThird,,0,0,0,,{\\fade(255,0,255,0,400,2600,3000)\\move(-768,712,75,712,0,400)}Ada Lovelace",
      "Dialogue: 1,0:00:00.00,0:00:01.00,Title,,0,0,0,,{\\pos(960,540)}Still",
    ]);
    // Cut 0.2 s into the slide: it continues from there; cut after it, the bar stands still.
    const cut = (from: number) => buildAssFile([], 1920, 1080, {}, [{ ...overlays[1]!, start: 0, end: 1, from, to: from + 3 }]).match(/^Dialogue:.*$/m)![0];
    assert.match(cut(-0.2), /\{\\fade\(255,0,255,-200,200,2400,2800\)\\move\(-768,712,75,712,-200,200\)\}/);
    assert.match(cut(-1), /\{\\fade\(255,0,255,-1000,-600,1600,2000\)\\pos\(75,712\)\}/);
    assert.equal(buildAssFile([], 640, 360).includes("Style: Title"), false, "no overlay styles without overlays");
  });
  test("FFmpeg reads an escaped path with quotes, colons, commas and brackets", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "esc it's: [a],b;c="));
    const file = path.join(dir, "captions.ass");
    writeFileSync(file, buildAssFile([{ start: 0, end: 1, text: "ok" }], 320, 180));
    const r = spawnSync(
      "ffmpeg",
      ["-v", "error", "-f", "lavfi", "-i", "color=c=black:s=320x180:d=0.2", "-vf", `ass=filename=${escapeFilterValue(file)}`, "-f", "null", "-"],
      { encoding: "utf8" },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr.trim(), "");
  });
  test("caption files carry no control characters, whatever the narration held", () => {
    const cues = [{ start: 0, end: 1, text: "bell\u0007 null\u0000 escape\u001b[31m del\u007f end" }];
    for (const file of [buildSrt(cues), buildVtt(cues), buildAssFile(cues, 640, 360)]) {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for them is the point
      assert.doesNotMatch(file.replace(/\n/g, ""), /[\u0000-\u001f\u007f]/);
      assert.match(file, /bell null escape\[31m del end/);
    }
  });
});
