// The script stage: a writer from the workspace's chain writes the script (with the
// workspace's instructions and, when asked, passages from its knowledge), then its arc and
// pacing are checked, repaired and analysed, and the script is stored on the video.
import { getDb, type Prisma } from "../../db/client.ts";
import { passagesForBrief } from "../../knowledge/service.ts";
import { toneInstructionsSchema } from "../../providers/catalog.ts";
import { callCapability } from "../../providers/chain.ts";
import { loadJob, scriptOf } from "../job.ts";
import { providerReport } from "../../providers/report.ts";
import { analyseScript, plannedWpm } from "./analysis.ts";
import { estimatedLengthSec, repairArc } from "./arc.ts";
import { isPresetScript, reshortened } from "./types.ts";
import { writeScriptWith } from "./write.ts";

export async function runScriptStep(jobId: string, signal?: AbortSignal) {
  const { job, video, brief } = await loadJob(jobId);
  if (isPresetScript(video.script)) {
    // A Quick Demo's script is fixed: no writer runs, so the check covers the other stages.
    const preset = scriptOf(video);
    return { sceneCount: preset.scenes.length, title: preset.title, writer: preset.writer, review: brief.reviewScript, provider: "preset" };
  }
  const workspace = await getDb().workspace.findUniqueOrThrow({ where: { id: job.workspaceId }, select: { scriptInstructions: true, toneInstructions: true } });
  const passages = brief.useKnowledge ? await passagesForBrief(getDb(), job.workspaceId, brief, signal) : [];
  const guidance = {
    instructions: workspace.scriptInstructions,
    toneInstructions: toneInstructionsSchema.safeParse(workspace.toneInstructions).data?.[brief.tone] ?? null,
    passages,
  };
  const outcome = await callCapability(getDb(), job.workspaceId, "script", (config, ctx) => writeScriptWith(config, brief, guidance, ctx), { signal });
  // Whatever wrote it, the script's arc and pacing are checked and repaired, then analysed. A
  // script the writer shortened (too little material) is checked at the length it plans, so
  // the repair never pads it back or calls it too short.
  const targetLengthSec = outcome.value.shortened?.plannedSec ?? brief.targetLengthSec;
  const arc = repairArc(outcome.value, { targetLengthSec, wpm: plannedWpm(brief), language: brief.language });
  // The record of a shortened script follows what the repair left.
  const shortened = reshortened(arc.script.shortened, estimatedLengthSec(arc.script.scenes, plannedWpm(brief), brief.language));
  const { shortened: _planned, ...repaired } = arc.script;
  const script = {
    ...analyseScript({ ...repaired, ...(shortened ? { shortened } : {}) }, brief),
    ...(passages.length
      ? { sources: passages.map((p) => ({ documentId: p.documentId, document: p.document, chunk: p.chunk, excerpt: p.text.slice(0, 400) })) }
      : {}),
  };
  await getDb().video.update({ where: { id: video.id }, data: { script: script as unknown as Prisma.InputJsonValue, title: script.title } });
  return {
    sceneCount: script.scenes.length,
    title: script.title,
    writer: script.writer,
    review: brief.reviewScript,
    pace: script.pace,
    ...(passages.length ? { sources: passages.length } : {}),
    ...(script.shortened ? { shortened: script.shortened } : {}),
    ...(arc.repairs.length ? { repairs: arc.repairs } : {}),
    ...(arc.issues.length ? { warnings: arc.issues.map((i) => i.message) } : {}),
    ...providerReport(outcome),
  };
}
