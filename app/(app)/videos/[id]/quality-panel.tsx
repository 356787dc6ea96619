// The newest render's quality report in plain words: a verdict (said in words and a sign, not
// by colour alone), loudness against the target, silent, black and frozen stretches, caption
// reading speed, pictures a minute, and every stage that fell back to a built-in provider.
import { clock, type QualityReport, STAGE_LABELS } from "@/server/pipeline/render/quality-report";

const VERDICTS = {
  clean: { text: "✓ Clean", style: "bg-emerald-100 text-emerald-800" },
  warnings: { text: "! Warnings", style: "bg-amber-100 text-amber-800" },
  degraded: { text: "✗ Degraded", style: "bg-red-100 text-red-800" },
} as const;

/** A signed number with a real minus sign, as the lines print levels. */
const level = (n: number) => `${n < 0 ? "−" : ""}${Math.abs(n)}`;
const seconds = (s: { start: number; end: number }) => `${Math.round((s.end - s.start) * 10) / 10} s at ${clock(s.start)}`;

export function QualityPanel({ report }: { report: QualityReport }) {
  const verdict = VERDICTS[report.verdict];
  const { loudness, captions, pictures } = report;
  const fast = captions.cues.filter((c) => c.fast);
  const fastest = Math.max(0, ...captions.cues.map((c) => c.charsPerSec));
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm" data-testid="quality-panel" aria-labelledby="quality-heading">
      <div className="mb-3 flex items-center gap-3">
        <h2 id="quality-heading" className="font-semibold">
          Quality report
        </h2>
        <span className={`rounded px-2 py-0.5 text-xs font-medium ${verdict.style}`} data-testid="quality-verdict">
          {verdict.text}
        </span>
      </div>
      {report.degraded.length ? (
        <>
          <h3 className="text-sm font-medium">Fell back to a built-in provider</h3>
          <ul className="mb-3 list-disc pl-5 text-sm text-red-800" data-testid="quality-degraded">
            {report.degraded.map((d) => (
              <li key={`${d.stage}-${d.from.id}-${d.to.id}-${d.reason}`}>
                {STAGE_LABELS[d.stage] ?? d.stage} fell back from {d.from.label} to {d.to.label}: {d.reason}
                {d.steps.length > 1 ? ` (${d.steps.length} steps)` : ""}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h3 className="sr-only">Measures</h3>
      <ul className="space-y-1 text-sm text-slate-700" data-testid="quality-lines">
        <li>
          {loudness === null
            ? "Loudness not measured"
            : loudness.integratedLufs === null
              ? "No sound"
              : `Loudness ${level(loudness.integratedLufs)} LUFS (target ${level(loudness.targetLufs)}), true peak ${loudness.truePeakDb === null ? "none" : `${level(loudness.truePeakDb)} dBTP`}`}
        </li>
        {loudness ? (
          <li>
            {report.silences.length
              ? report.silences.map((s) => `Silence ${seconds(s)}`).join("; ")
              : `No silence of ${report.thresholds.silenceMinSec} s or more`}
          </li>
        ) : null}
        {report.blacks.length ? <li>{report.blacks.map((b) => `Black picture ${seconds(b)}`).join("; ")}</li> : null}
        {report.freezes.map((f) => (
          <li key={`freeze-${f.start}`}>{f.expected ? `Still picture ${seconds(f)} (a shot without motion)` : `Frozen picture ${seconds(f)}`}</li>
        ))}
        <li>
          {captions.cues.length === 0
            ? "No captions"
            : fast.length
              ? `${fast.length} caption${fast.length > 1 ? "s" : ""} read fast (up to ${fastest} characters/s; the guideline is ${captions.guidelineCharsPerSec})`
              : `Captions read at up to ${fastest} characters/s (the guideline is ${captions.guidelineCharsPerSec})`}
          {fast.length ? (
            <ul className="list-disc pl-5 text-xs text-slate-600">
              {fast.map((c) => (
                <li key={c.start}>
                  {clock(c.start)}: “{c.text}” at {c.charsPerSec} characters/s, {c.wordsPerMin} words a minute
                </li>
              ))}
            </ul>
          ) : null}
        </li>
        <li>
          {pictures.perMinute} pictures a minute ({pictures.distinct} distinct)
        </li>
      </ul>
      {report.warnings.length ? (
        <>
          <h3 className="mt-3 text-sm font-medium">Warnings</h3>
          <ul className="list-disc pl-5 text-sm text-amber-900" data-testid="quality-warnings">
            {report.warnings.map((w) => (
              <li key={`${w.kind}-${w.message}`}>{w.message}</li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
