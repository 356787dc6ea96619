// Piper, a local neural voice: the server's PIPER_BINARY with a voice model from
// PIPER_MODELS_DIR. A workspace picks only a file name inside that folder, never a path or a
// binary of its own, so no workspace setting can run a program of its choosing.
import { access, mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { getEnv } from "../../env.ts";
import { ProviderError } from "../errors.ts";
import type { CallContext, ProbeResult, ProviderConfig } from "../types.ts";
import { runProcessForAudio } from "./espeak.ts";
import { speechFromWav, type Speech } from "./wav.ts";

export async function listPiperModels() {
  const dir = getEnv().PIPER_MODELS_DIR;
  if (!dir) return [];
  const files = await readdir(dir).catch(() => [] as string[]);
  return files.filter((f) => f.endsWith(".onnx")).sort();
}

async function modelPath(config: ProviderConfig) {
  const dir = getEnv().PIPER_MODELS_DIR;
  if (!dir) throw new ProviderError("piper", "config", "PIPER_MODELS_DIR is not set on the server");
  const name = config.model ?? (await listPiperModels())[0];
  if (!name) throw new ProviderError("piper", "config", `no .onnx voice model in ${dir}`);
  if (path.basename(name) !== name || !name.endsWith(".onnx")) throw new ProviderError("piper", "config", "the model must be a .onnx file name");
  const file = path.join(dir, name);
  await access(file).catch(() => {
    throw new ProviderError("piper", "config", `the voice model ${name} is not in PIPER_MODELS_DIR`);
  });
  return file;
}

export async function synthesizePiper(config: ProviderConfig, text: string, ctx: CallContext, rate = 1): Promise<Speech> {
  const model = await modelPath(config);
  const dir = await mkdtemp(path.join(os.tmpdir(), "aura-piper-"));
  try {
    const out = path.join(dir, "speech.wav");
    await runProcessForAudio(
      "piper",
      getEnv().PIPER_BINARY,
      ["--model", model, "--output_file", out, ...(rate !== 1 ? ["--length_scale", (1 / rate).toFixed(3)] : [])],
      text,
      ctx.signal,
    );
    const wav = await readFile(out).catch(() => {
      throw new ProviderError("piper", "malformed", "piper wrote no audio file");
    });
    return speechFromWav("piper", wav);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function probePiper(config: ProviderConfig, ctx: CallContext): Promise<ProbeResult> {
  const speech = await synthesizePiper(config, "Test.", ctx);
  return { detail: `${path.basename(await modelPath(config))}: ${speech.durationSec.toFixed(2)} s of test audio` };
}
