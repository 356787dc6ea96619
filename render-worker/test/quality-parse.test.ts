// The quality pass's arguments and its stderr reader on fixed text: the last ebur128 summary,
// stretches still open at the end, and starts and ends kept apart by thousands of other lines
// or with the front of the text cut off (each end closes the start of its own kind).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { buildQualityArgs, createStretchReader, joinSegmentMarks, parseQuality } from "../src/quality-report.ts";

const SUMMARY =
  "[Parsed_ebur128_0 @ 0x1] Summary:\n  Integrated loudness:\n    I:         -14.3 LUFS\n    Threshold: -24.5 LUFS\n  Loudness range:\n    LRA:  3.1 LU\n  True peak:\n    Peak:       -1.6 dBFS";

/** ebur128's line for each 100 ms, as framelog=verbose prints them between the detectors' lines. */
const noise = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => `[Parsed_ebur128_0 @ 0x1] t: ${(from + i / 10).toFixed(1)}  TARGET:-23 LUFS    M: -18.2 S: -17.9     I: -14.3 LUFS`);

describe("quality pass", () => {
  test("one pass: audio into ebur128 and silencedetect, thinned and shrunk video into blackdetect and freezedetect", () => {
    const args = buildQualityArgs("/w/output.mp4");
    const graph = args[args.indexOf("-filter_complex") + 1]!;
    assert.equal(args.filter((a) => a === "-i").length, 1);
    assert.deepEqual(args.slice(args.indexOf("-i") - 2, args.indexOf("-i")), ["-skip_frame", "noref"], "the decoder skips frames nothing refers to");
    assert.match(graph, /^\[0:a\]ebur128=peak=true:framelog=verbose,silencedetect=n=-50dB:d=1\[a\];/);
    assert.match(graph, /\[0:v\]fps=5,scale=320:-2:flags=fast_bilinear,blackdetect=d=1:pix_th=0\.1:pic_th=0\.98,freezedetect=n=-60dB:d=5\[v\]$/);
  });

  test("the last ebur128 summary counts; a stretch still open at the end ends with the file", () => {
    const stderr = [
      "[Parsed_ebur128_0 @ 0x1] Summary:\n  Integrated loudness:\n    I:         -70.0 LUFS\n  True peak:\n    Peak:       -inf dBFS",
      "[silencedetect @ 0x2] silence_start: 4.01073",
      "[silencedetect @ 0x2] silence_end: 7.0186 | silence_duration: 3.00787",
      "[blackdetect @ 0x3] black_start:8 black_end:10.04 black_duration:2.04",
      "[freezedetect @ 0x4] lavfi.freezedetect.freeze_start: 12.2",
      "[silencedetect @ 0x2] silence_start: 18.5",
      "[Parsed_ebur128_0 @ 0x1] Summary:\n  Integrated loudness:\n    I:         -14.3 LUFS\n    Threshold: -24.5 LUFS\n  Loudness range:\n    LRA:  3.1 LU\n  True peak:\n    Peak:       -1.6 dBFS",
    ].join("\n");
    assert.deepEqual(parseQuality(stderr, 20), {
      integratedLufs: -14.3,
      truePeakDb: -1.6,
      silences: [
        { start: 4.01, end: 7.02 },
        { start: 18.5, end: 20 },
      ],
      blacks: [{ start: 8, end: 10.04 }],
      freezes: [{ start: 12.2, end: 20 }],
    });
    const silent = parseQuality(stderr.slice(0, stderr.indexOf("[silencedetect")), 20);
    assert.equal(silent.integratedLufs, null, "-70 LUFS is ebur128's gate: no sound");
    assert.equal(silent.truePeakDb, null);
    assert.throws(() => parseQuality("no summary here", 20), /loudness was not measured/);
  });

  test("starts and ends thousands of lines apart pair by kind, in a stream as in one text", () => {
    const lines = [
      "[silencedetect @ 0x2] silence_start: 4.01073",
      ...noise(4, 3000),
      "[freezedetect @ 0x4] lavfi.freezedetect.freeze_start: 300",
      ...noise(300, 2000),
      "[silencedetect @ 0x2] silence_end: 350.5 | silence_duration: 346.49",
      ...noise(350, 2000),
      "[blackdetect @ 0x3] black_start:400 black_end:402.5 black_duration:2.5",
      "[freezedetect @ 0x4] lavfi.freezedetect.freeze_duration: 110",
      "[freezedetect @ 0x4] lavfi.freezedetect.freeze_end: 410",
      "[silencedetect @ 0x2] silence_start: 500",
      ...noise(500, 1000),
      "[silencedetect @ 0x2] silence_end: 503 | silence_duration: 3",
      SUMMARY,
    ];
    const expected = {
      silences: [
        { start: 4.01, end: 350.5 },
        { start: 500, end: 503 },
      ],
      blacks: [{ start: 400, end: 402.5 }],
      freezes: [{ start: 300, end: 410 }],
    };
    const stderr = lines.join("\n");
    assert.ok(stderr.length > 200_000, "far more than runFfmpeg keeps");
    assert.deepEqual(parseQuality(stderr, 600), { integratedLufs: -14.3, truePeakDb: -1.6, ...expected });
    const reader = createStretchReader();
    for (const line of lines.flatMap((l) => l.split("\n"))) reader.read(line);
    assert.deepEqual(reader.stretches(600), expected);
  });

  test("with the front cut off, an end whose start was lost is dropped and the rest stay in place", () => {
    const stderr = [
      // The cut fell between a silence's and a freeze's starts and their ends.
      "lence_start: 2",
      "[silencedetect @ 0x2] silence_end: 7.5 | silence_duration: 5.5",
      "[freezedetect @ 0x4] lavfi.freezedetect.freeze_end: 9",
      ...noise(9, 500),
      "[silencedetect @ 0x2] silence_start: 20",
      "[silencedetect @ 0x2] silence_end: 23 | silence_duration: 3",
      "[freezedetect @ 0x4] lavfi.freezedetect.freeze_start: 30",
      "[blackdetect @ 0x3] black_start:50 black_end:49 black_duration:-1",
      "[silencedetect @ 0x2] silence_start: 55",
      SUMMARY,
    ].join("\n");
    const quality = parseQuality(stderr, 60);
    assert.deepEqual(quality.silences, [
      { start: 20, end: 23 },
      { start: 55, end: 60 },
    ]);
    assert.deepEqual(quality.freezes, [{ start: 30, end: 60 }]);
    assert.deepEqual(quality.blacks, [], "an end before its start is dropped");
  });
});

describe("quality measured in pieces", () => {
  const edge = (value: number, point = value) => {
    const picture = Buffer.alloc(32 * 18, value);
    picture[300] = point;
    return picture.toString("base64");
  };
  const marks = (blacks: [number, number][], freezes: [number, number][], first = 10, last = 10, firstPoint = first) => ({
    version: 1 as const,
    blacks: blacks.map(([start, end]) => ({ start, end })),
    freezes: freezes.map(([start, end]) => ({ start, end })),
    edges: { first: edge(first, firstPoint), last: edge(last) },
  });

  test("metadata=print's marks are read like the log's lines", () => {
    const reader = createStretchReader();
    const file = [
      "frame:0    pts:0       pts_time:0",
      "lavfi.black_start=0",
      "frame:1    pts:200000  pts_time:0.2",
      "lavfi.freezedetect.freeze_start=0",
      "frame:15   pts:3000000 pts_time:3",
      "lavfi.black_end=3",
      "lavfi.freezedetect.freeze_duration=3",
      "lavfi.freezedetect.freeze_end=3",
      "lavfi.freezedetect.freeze_start=3.4",
    ];
    for (const line of file) reader.read(line);
    assert.deepEqual(reader.stretches(5), {
      silences: [],
      blacks: [{ start: 0, end: 3 }],
      freezes: [
        { start: 0, end: 3 },
        { start: 3.4, end: 5 },
      ],
    });
  });

  test("stretches meet across cuts, a freeze only where the pictures at the cut are the same; short ones are dropped", () => {
    const joined = joinSegmentMarks([
      { startSec: 0, marks: marks([[3.5, 4]], [[1, 4]], 10, 50) },
      { startSec: 4, marks: marks([[0, 0.8]], [[0, 3]], 50, 50) },
      // Another picture after the cut: the freeze before it ends there.
      { startSec: 7, marks: marks([], [[0, 3]], 90, 90) },
      { startSec: 10, marks: marks([[0.1, 0.4]], [], 90, 90) },
    ]);
    // Two still slides that differ in one point (a changed label) are not one freeze.
    const slides = joinSegmentMarks([
      { startSec: 0, marks: marks([], [[0, 3]], 200, 200) },
      { startSec: 3, marks: marks([], [[0, 3]], 200, 200, 170) },
    ]);
    assert.deepEqual(slides.freezes, []);
    const same = joinSegmentMarks([
      { startSec: 0, marks: marks([], [[0, 3]], 200, 200) },
      { startSec: 3, marks: marks([], [[0, 3]], 200, 200, 202) },
    ]);
    assert.deepEqual(same.freezes, [{ start: 0, end: 6 }], "within 2 levels: the same picture");
    assert.deepEqual(joined.blacks, [{ start: 3.5, end: 4.8 }], "0.5 s and 0.8 s of black at a cut are one 1.3 s stretch; 0.3 s alone is too short");
    assert.deepEqual(joined.freezes, [{ start: 1, end: 7 }], "3 s + 3 s of the same picture is a freeze; 3 s of another picture is too short");
  });
});
