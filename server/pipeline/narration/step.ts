// The narration stage, one step per scene: the narration made speakable in the brief's
// language, spoken by a voice from the workspace's chain at the script's pace (a voice that
// does not speak the language is passed over, and the built-in voices that fit the brief's
// voice end the chain), stored with its word timings: the voice's own, else the text
// force-aligned to the audio (English only), else none (captions then estimate them). The
// output names the voice that spoke, for the job page.
import { getDb } from "../../db/client.ts";
import { callCapability } from "../../providers/chain.ts";
import { putObject } from "../../storage/store.ts";
import { StageInputError } from "../errors.ts";
import { baseKey, loadJob, saveAsset, scriptOf } from "../job.ts";
import { providerReport } from "../../providers/report.ts";
import { NARRATION_WPM } from "../pacing.ts";
import { speechRate } from "../script/analysis.ts";
import { languageOrEnglish } from "@aura/render-contract";
import { speaksLanguage } from "../../providers/tts/languages.ts";
import { offlineVoicesFor } from "../../providers/tts/offline-voices.ts";
import type { WordTiming } from "../../providers/tts/wav.ts";
import { alignSpeech, canAlign } from "./align-speech.ts";
import { speakerOf, speakWith } from "./speak.ts";
import { makeSpeakable } from "./speakable.ts";

export async function runNarrationStep(jobId: string, sceneIndex: number, signal?: AbortSignal) {
  const { job, video, brief } = await loadJob(jobId);
  const script = scriptOf(video);
  const scene = script.scenes[sceneIndex]!;
  const language = languageOrEnglish(brief.language);
  const text = makeSpeakable(scene.narration, language.code);
  if (!text) throw new StageInputError(`scene ${sceneIndex + 1}'s narration has no speakable words`);
  const rate = speechRate(script.pace?.wpm ?? NARRATION_WPM);
  let speaker = "";
  const outcome = await callCapability(
    getDb(),
    job.workspaceId,
    "voice",
    async (config, ctx) => {
      const speech = await speakWith(config, text, brief.voice, ctx, rate);
      speaker = speakerOf(config, brief.voice);
      return speech;
    },
    {
      signal,
      offline: offlineVoicesFor(brief.voice),
      unfit: (config) => (speaksLanguage(config.provider, config, language.code) ? undefined : `does not speak ${language.name}`),
    },
  );
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
  const timed = await wordTimings(speech, text, language.code, signal);
  const words = timed.words ? await putObject(`${base}.words.json`, Buffer.from(JSON.stringify(timed.words))) : null;
  // The word times are one of the narration's files: an asset of their own, so that what
  // removes the narration (the cleanup of a failed job's media) removes them too.
  if (words) await saveAsset({ workspaceId: job.workspaceId, videoId: video.id, jobId, kind: "narration", ...words, mimeType: "application/json" });
  return {
    assetId: asset.id,
    key: stored.key,
    durationSec: Math.round(speech.durationSec * 1000) / 1000,
    ...(words ? { wordsKey: words.key } : {}),
    timing: timed.timing,
    ...(timed.why ? { timingNote: timed.why } : {}),
    ...providerReport(outcome),
    // Which voice spoke: the brief's voice, its language, and the provider's own voice name.
    voice: brief.voice,
    language: language.code,
    ...(speaker ? { speaker } : {}),
  };
}

type Timed = { timing: "voice" | "aligned" | "estimated"; words?: WordTiming[]; why?: string };

/** How the narration's words are timed. Alignment failing never fails the step: captions then
 *  estimate the times, and the output says why. */
async function wordTimings(speech: { wav: Buffer; words?: WordTiming[] }, text: string, language: string, signal?: AbortSignal): Promise<Timed> {
  if (speech.words?.length) return { timing: "voice", words: speech.words };
  if (!canAlign(language)) return { timing: "estimated", why: `no aligner for language ${language}` };
  try {
    const words = await alignSpeech(speech.wav, text, signal);
    return words ? { timing: "aligned", words } : { timing: "estimated", why: "too few words were found in the audio to align, or their times ran backwards" };
  } catch (error) {
    if (signal?.aborted) throw error;
    return { timing: "estimated", why: `alignment failed: ${(error as Error).message}` };
  }
}
