// The narration stage, one step per scene: the narration made speakable, spoken by a voice
// from the workspace's chain at the script's pace, stored with its word timings.
import { getDb } from "../../db/client.ts";
import { callCapability } from "../../providers/chain.ts";
import { putObject } from "../../storage/store.ts";
import { StageInputError } from "../errors.ts";
import { baseKey, loadJob, saveAsset, scriptOf } from "../job.ts";
import { providerReport } from "../../providers/report.ts";
import { NARRATION_WPM } from "../pacing.ts";
import { speechRate } from "../script/analysis.ts";
import { speakWith } from "./speak.ts";
import { makeSpeakable } from "./speakable.ts";

export async function runNarrationStep(jobId: string, sceneIndex: number, signal?: AbortSignal) {
  const { job, video, brief } = await loadJob(jobId);
  const script = scriptOf(video);
  const scene = script.scenes[sceneIndex]!;
  const text = makeSpeakable(scene.narration);
  if (!text) throw new StageInputError(`scene ${sceneIndex + 1}'s narration has no speakable words`);
  const rate = speechRate(script.pace?.wpm ?? NARRATION_WPM);
  const outcome = await callCapability(getDb(), job.workspaceId, "voice", (config, ctx) => speakWith(config, text, brief.voice, ctx, rate), { signal });
  const speech = outcome.value;
  const base = `${baseKey(job.workspaceId, video.id)}/narration/scene-${sceneIndex + 1}`;
  const stored = await putObject(`${base}.wav`, speech.wav);
  const asset = await saveAsset({
    workspaceId: job.workspaceId,
    videoId: video.id,
    jobId,
    kind: "narration",
    ...stored,
    mimeType: "audio/wav",
    durationSec: speech.durationSec,
  });
  // Word timings, where the voice gives them, sit beside the audio for captions to use.
  const words = speech.words ? await putObject(`${base}.words.json`, Buffer.from(JSON.stringify(speech.words))) : null;
  return {
    assetId: asset.id,
    key: stored.key,
    durationSec: Math.round(speech.durationSec * 1000) / 1000,
    ...(words ? { wordsKey: words.key } : {}),
    ...providerReport(outcome),
  };
}
